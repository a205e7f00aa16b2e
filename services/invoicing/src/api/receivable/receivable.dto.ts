import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DISPUTE_REASON_CODES } from '@arc/contracts';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class CancelInvoiceDto {
  @ApiProperty({ example: 'order cancelled by the customer before delivery' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @ApiProperty({ example: '2026-01-05' }) @IsBusinessDate() cancelledOn!: string;
}

export class IssueDebitNoteDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: 'deb17000-0000-4000-8000-000000000001',
    description: 'chosen by the caller, or generated',
  })
  @IsOptional()
  @IsUUID()
  debitNoteId?: string;
  @ApiProperty({ example: 'DN-2026-000001' }) @IsString() @IsNotEmpty() @MaxLength(64) number!: string;
  @ApiProperty({
    enum: ['fixed-compensation', 'adjustment'],
    example: 'adjustment',
    description: 'late interest is charged by the day close, not by hand',
  })
  @IsIn(['fixed-compensation', 'adjustment'])
  kind!: 'fixed-compensation' | 'adjustment';
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '4000', currency: 'EUR' }, description: 'positive, in the invoice currency' })
  @IsMoney()
  amount!: MoneyBody;
  @ApiProperty({ example: '2026-02-01' }) @IsBusinessDate() issueDate!: string;
  @ApiProperty({ example: '2026-03-03' }) @IsBusinessDate() dueDate!: string;
  @ApiProperty({ example: 'freight surcharge agreed on 30 January' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class RaiseDisputeDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: 'd15d15d1-0000-4000-8000-000000000001',
    description: 'chosen by the caller, or generated',
  })
  @IsOptional()
  @IsUUID()
  disputeId?: string;
  @ApiPropertyOptional({
    type: MoneyBody,
    example: { amountMinor: '2400000', currency: 'EUR' },
    description: 'the part disputed; absent: the whole open balance not yet disputed',
  })
  @IsOptional()
  @IsMoney()
  amount?: MoneyBody;
  @ApiProperty({ enum: DISPUTE_REASON_CODES, example: 'quality' })
  @IsIn(DISPUTE_REASON_CODES)
  reasonCode!: (typeof DISPUTE_REASON_CODES)[number];
  @ApiProperty({ example: '4 of 10 pumps leak at the flange' }) @IsString() @IsNotEmpty() @MaxLength(2000) note!: string;
  @ApiPropertyOptional({ type: [String], example: ['mail:2026-01-20-claim', 'photo:IMG_2231'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(500, { each: true })
  evidenceRefs?: string[];
  @ApiProperty({ example: '2026-01-21' }) @IsBusinessDate() raisedOn!: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: ['accepted', 'rejected'], example: 'accepted' }) @IsIn(['accepted', 'rejected']) outcome!: 'accepted' | 'rejected';
  @ApiPropertyOptional({
    type: MoneyBody,
    example: { amountMinor: '2400000', currency: 'EUR' },
    description: 'accepted: the amount credited (default the whole disputed amount); the rest is collectable again',
  })
  @IsOptional()
  @IsMoney()
  acceptedAmount?: MoneyBody;
  @ApiPropertyOptional({
    format: 'uuid',
    example: 'd1b2c3d4-0000-4000-8000-000000000004',
    description: 'the credit note issued on acceptance',
  })
  @IsOptional()
  @IsUUID()
  creditNoteId?: string;
  @ApiPropertyOptional({ example: 'CN-2026-000008', description: 'default: the invoice number + -CN + a count' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  creditNoteNumber?: string;
  @ApiProperty({ example: '2026-02-01' }) @IsBusinessDate() resolvedOn!: string;
  @ApiProperty({ example: 'inspection confirmed the leaks' }) @IsString() @IsNotEmpty() @MaxLength(2000) note!: string;
}

export class RequestWriteOffDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: 'a0ff0ff0-0000-4000-8000-000000000001',
    description: 'chosen by the caller, or generated',
  })
  @IsOptional()
  @IsUUID()
  writeOffId?: string;
  @ApiPropertyOptional({
    type: MoneyBody,
    example: { amountMinor: '6000000', currency: 'EUR' },
    description: 'absent: the whole open balance not disputed',
  })
  @IsOptional()
  @IsMoney()
  amount?: MoneyBody;
  @ApiProperty({ example: 'customer insolvent, no dividend expected' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
  @ApiProperty({ example: '2026-06-01' }) @IsBusinessDate() requestedOn!: string;
}

export class WriteOffStepDto {
  @ApiProperty({ example: '2026-06-02' }) @IsBusinessDate() on!: string;
}

export class RejectWriteOffDto {
  @ApiProperty({ example: '2026-06-02' }) @IsBusinessDate() on!: string;
  @ApiProperty({ example: 'the insolvency claim is not filed yet' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}
