import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '@arc/platform';

export class StartCalendarDto {
  @ApiProperty({ example: '2026-01-01', description: 'the first open business day' }) @IsBusinessDate() date!: string;
}

export class CloseDaysDto {
  @ApiProperty({ example: '2026-02-15', description: 'the last day to close (inclusive); every open day up to it is closed, in order' })
  @IsBusinessDate()
  until!: string;
}

export class CalendarResponse {
  @ApiProperty() started!: boolean;
  @ApiProperty({ example: '2026-01-01', nullable: true, type: String, description: 'the first business day of the calendar' }) startedOn!:
    string | null;
  @ApiProperty({
    example: '2026-02-16',
    nullable: true,
    type: String,
    description: 'the open business day (not closed yet): last closed day + 1',
  })
  openDay!: string | null;
  @ApiProperty({
    example: '2026-02-16',
    nullable: true,
    type: String,
    deprecated: true,
    description:
      'deprecated, the old name of openDay (the same value), answered for one more release: "business date" meant the open day here but the last closed day in projections',
  })
  businessDate!: string | null;
  @ApiProperty({
    example: '2026-02-15',
    nullable: true,
    type: String,
    description: 'the last day closed (the date of the last BusinessDayClosed)',
  })
  lastClosedDay!: string | null;
}

export class CloseDaysResponse extends CalendarResponse {
  @ApiProperty({
    type: String,
    isArray: true,
    example: ['2026-01-01', '2026-01-02'],
    description: 'the days this request closed (empty for a repeat)',
  })
  closedDays!: string[];
}
