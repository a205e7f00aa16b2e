import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { CREDIT_HOLD_SOURCES, type CreditHoldSource } from '@arc/contracts';

export class PlaceHoldDto {
  @ApiProperty({ enum: CREDIT_HOLD_SOURCES }) @IsIn(CREDIT_HOLD_SOURCES) source!: CreditHoldSource;
  @ApiProperty({ example: 'stop supply: 90 days overdue' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
