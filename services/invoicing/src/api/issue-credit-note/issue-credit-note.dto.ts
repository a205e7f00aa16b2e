import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class IssueCreditNoteDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the caller (then repeating it repeats nothing), or generated' })
  @IsOptional()
  @IsUUID()
  creditNoteId?: string;
  @ApiProperty({ example: 'CN-2026-000001' }) @IsString() @IsNotEmpty() @MaxLength(64) number!: string;
  @ApiProperty({ type: MoneyBody, description: 'positive, in the invoice currency, at most what is left to credit' })
  @IsMoney()
  amount!: MoneyBody;
  @ApiProperty({ example: 'damaged goods' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @ApiProperty({ example: '2026-01-15' }) @IsBusinessDate() issueDate!: string;
}
