import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class InvoiceLineDto {
  @ApiProperty({ example: 'Pump P-200 ×10' }) @IsString() @IsNotEmpty() @MaxLength(500) description!: string;
  @ApiProperty({ type: MoneyBody, description: 'may be negative (a discount line)' }) @IsMoney() netAmount!: MoneyBody;
  @ApiProperty({ type: MoneyBody }) @IsMoney() taxAmount!: MoneyBody;
}

export class IssueInvoiceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the caller (then repeating it repeats nothing), or generated' })
  @IsOptional()
  @IsUUID()
  invoiceId?: string;
  @ApiProperty({ example: 'INV-2026-000001', description: 'unique across all invoices' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  number!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId!: string;
  @ApiProperty({ example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code like EUR' })
  currency!: string;
  @ApiProperty({ type: InvoiceLineDto, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  lines!: InvoiceLineDto[];
  @ApiProperty({
    example: '2026-01-01',
    description: 'at most 7 days after the open business day; a day already closed needs backdatingReason',
  })
  @IsBusinessDate()
  issueDate!: string;
  @ApiPropertyOptional({
    example: 'delivery note of 2 March reached finance late',
    description: 'required to date the invoice on a closed day; recorded on InvoiceIssued',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  backdatingReason?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'the credit reservation (credit check id) of the order billed' })
  @IsOptional()
  @IsUUID()
  reservationId?: string | null;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    example: 'c0c0c0c0-0000-4000-8000-000000000001',
    description:
      "the customer's contract whose terms the invoice takes (due dates, instalments, discount, late interest); else the credit policy's",
  })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;
}
