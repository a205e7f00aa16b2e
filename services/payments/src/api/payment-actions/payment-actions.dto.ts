import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  REVERSAL_REASONS,
  SHORT_PAYMENT_REASON_CODES,
  UNMATCHED_CASH_FALLBACKS,
  type ReversalReason,
  type ShortPaymentReasonCode,
  type UnmatchedCashFallback,
} from '@arc/contracts';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class PaymentSettingsDto {
  @ApiProperty({
    enum: UNMATCHED_CASH_FALLBACKS,
    example: 'leave-unapplied',
    description: 'what cash application does with money no remittance, exact amount or combination matched',
  })
  @IsIn(UNMATCHED_CASH_FALLBACKS)
  unmatchedCash!: UnmatchedCashFallback;
  @ApiProperty({ example: true, description: "apply the customer's unapplied cash automatically to each invoice issued later" })
  @IsBoolean()
  applyUnappliedToNewInvoices!: boolean;
  @ApiProperty({
    example: '100',
    description: 'how far below the discounted amount a payment may fall and still earn the discount (minor units: "100" = 1.00)',
  })
  @IsString()
  @Matches(/^(0|[1-9]\d{0,11})$/, { message: 'discountToleranceMinor must be a non-negative integer of minor units as a string' })
  discountToleranceMinor!: string;
}

export class InvoiceAmountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() invoiceId!: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '50000', currency: 'EUR' } }) @IsMoney() amount!: MoneyBody;
}

export class ApplyUnappliedCashDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'draw from this payment only; else from the oldest receipts with cash on account' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;
  @ApiProperty({
    type: [InvoiceAmountDto],
    example: [{ invoiceId: '7f3c2a1e-4b5d-4c6e-8f90-123456789abc', amount: { amountMinor: '50000', currency: 'EUR' } }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => InvoiceAmountDto)
  allocations!: InvoiceAmountDto[];
  @ApiProperty({ example: '2026-02-10' }) @IsBusinessDate() appliedOn!: string;
}

export class RefundDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the caller, or generated' })
  @IsOptional()
  @IsUUID()
  refundId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'refund from this payment only; else from the oldest receipts with cash on account' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '50000', currency: 'EUR' } }) @IsMoney() amount!: MoneyBody;
  @ApiProperty({ example: '2026-02-10' }) @IsBusinessDate() refundedOn!: string;
  @ApiProperty({ example: 'customer asked for the overpayment back' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class ReversalDto {
  @ApiProperty({ enum: REVERSAL_REASONS, example: 'cheque-bounced' }) @IsIn(REVERSAL_REASONS) reason!: ReversalReason;
  @ApiPropertyOptional({ example: 'returned unpaid: insufficient funds' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note?: string;
  @ApiProperty({ example: '2026-02-05' }) @IsBusinessDate() reversedOn!: string;
}

export class ShortPaymentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() invoiceId!: string;
  @ApiProperty({ enum: SHORT_PAYMENT_REASON_CODES, example: 'damaged-goods' })
  @IsIn(SHORT_PAYMENT_REASON_CODES)
  reasonCode!: ShortPaymentReasonCode;
  @ApiProperty({ example: '2 pumps damaged in transit' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @ApiProperty({ example: '2026-02-02' }) @IsBusinessDate() recordedOn!: string;
}

/** Finance's reason for paying less than the quoted invoices need, given with the receipt. */
export class ShortPaymentReasonDto {
  @ApiProperty({ enum: SHORT_PAYMENT_REASON_CODES, example: 'pricing' }) @IsIn(SHORT_PAYMENT_REASON_CODES) code!: ShortPaymentReasonCode;
  @ApiProperty({ example: 'customer applied the 2025 price list' }) @IsString() @IsNotEmpty() @MaxLength(1000) text!: string;
}
