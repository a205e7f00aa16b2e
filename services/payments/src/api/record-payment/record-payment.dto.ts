import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PAYMENT_METHODS, type PaymentMethod } from '@arc/contracts';
import type { PaymentView } from '../payment-history';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';
import { ShortPaymentReasonDto } from '../payment-actions/payment-actions.dto';

export class RecordPaymentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the caller, or generated' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;
  @ApiProperty({ example: 'BANK-2026-01-20-000123', description: "the bank's reference: the same reference twice is one receipt" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  bankReference!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId!: string;
  @ApiProperty({ type: MoneyBody }) @IsMoney() amount!: MoneyBody;
  @ApiProperty({
    example: '2026-01-20',
    description: 'business date the money arrived: at most 7 days after the open day; a closed day needs backdatingReason',
  })
  @IsBusinessDate()
  receivedOn!: string;
  @ApiPropertyOptional({
    example: 'bank statement of 19 January arrived after the close',
    description: 'required to date the receipt on a closed day; recorded on PaymentReceived',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  backdatingReason?: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) @IsIn(PAYMENT_METHODS) method!: PaymentMethod;
  @ApiPropertyOptional({
    type: [String],
    example: ['INV-2026-000123/124 less 2%'],
    description:
      'invoice numbers (or ids) the payer quoted, or its free remittance text (shorthand such as "INV-2026-000123/124" is read): those invoices are paid first',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  remittanceReferences?: string[];
  @ApiPropertyOptional({
    type: ShortPaymentReasonDto,
    description:
      'why the payer paid less than the quoted invoices need: each invoice left short is recorded as a short payment (invoicing opens a dispute)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ShortPaymentReasonDto)
  shortPaymentReason?: ShortPaymentReasonDto;
}

export interface RecordPaymentResponse extends PaymentView {
  /** True when this bank reference had been recorded before: nothing was appended, the recorded payment is answered. */
  alreadyRecorded: boolean;
}
