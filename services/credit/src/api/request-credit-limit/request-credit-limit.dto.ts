import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class RequestCreditLimitDto {
  @ApiProperty({ format: 'uuid', description: 'chosen by the caller; the same request again repeats nothing' })
  @IsUUID()
  requestId!: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '25000000', currency: 'EUR' } }) @IsMoney() requestedLimit!: MoneyBody;
  @ApiProperty({ example: 'seasonal orders for the spring campaign' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @ApiPropertyOptional({
    example: '2026-03-31',
    description: 'a temporary limit ends on this date; the earlier limit returns when the next day is closed',
  })
  @IsOptional()
  @IsBusinessDate()
  temporaryUntil?: string;
  @ApiPropertyOptional({ type: [String], description: 'evidence ids from the credit file' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];
  @ApiProperty({ example: '2026-01-10' }) @IsBusinessDate() requestedOn!: string;
}

export interface LimitRequestResponse {
  requestId: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedLimit: { amountMinor: string; currency: string };
  temporaryUntil: string | null;
  requirement: { approvals: number; minimumLevel: number; finalLevel: number };
  approvals: Array<{ subject: string; level: number }>;
  rejection: { by: { subject: string; level: number }; reason: string } | null;
}
