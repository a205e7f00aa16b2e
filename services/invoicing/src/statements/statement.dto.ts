import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DISPUTE_REASON_CODES } from '@arc/contracts';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class IssueStatementDto {
  @ApiProperty({ format: 'uuid', example: 'c0ffee00-0000-4000-8000-000000000001' }) @IsUUID() customerId!: string;
  @ApiPropertyOptional({ example: 'EUR', description: "default: the customer's one currency" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code like EUR' })
  currency?: string;
  @ApiProperty({ example: '2026-01-01' }) @IsBusinessDate() periodFrom!: string;
  @ApiProperty({ example: '2026-01-31' }) @IsBusinessDate() periodTo!: string;
  @ApiProperty({ example: '2026-02-02' }) @IsBusinessDate() issuedOn!: string;
}

export class ConfirmStatementDto {
  @ApiProperty({ example: '2026-02-05' }) @IsBusinessDate() confirmedOn!: string;
  @ApiProperty({ example: 'ap@acme.example', description: 'who confirmed for the customer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  confirmedBy!: string;
}

export class ObjectionItemDto {
  @ApiProperty({ format: 'uuid', example: '7f3c2a1e-4b5d-4c6e-8f90-123456789abc' }) @IsUUID() invoiceId!: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '50000', currency: 'EUR' }, description: 'the amount contested on that invoice' })
  @IsMoney()
  amount!: MoneyBody;
  @ApiProperty({ example: 'freight never delivered' }) @IsString() @IsNotEmpty() @MaxLength(2000) note!: string;
  @ApiPropertyOptional({ enum: DISPUTE_REASON_CODES, example: 'not-delivered', description: "default 'statement-objection'" })
  @IsOptional()
  @IsIn(DISPUTE_REASON_CODES)
  reasonCode?: (typeof DISPUTE_REASON_CODES)[number];
}

export class ObjectToStatementDto {
  @ApiProperty({ example: '2026-02-05' }) @IsBusinessDate() objectedOn!: string;
  @ApiProperty({ example: 'ap@acme.example' }) @IsString() @IsNotEmpty() @MaxLength(200) objectedBy!: string;
  @ApiProperty({ example: 'we do not owe the freight on INV-2026-000123' }) @IsString() @IsNotEmpty() @MaxLength(2000) note!: string;
  @ApiProperty({
    type: ObjectionItemDto,
    isArray: true,
    example: [
      {
        invoiceId: '7f3c2a1e-4b5d-4c6e-8f90-123456789abc',
        amount: { amountMinor: '50000', currency: 'EUR' },
        note: 'freight never delivered',
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ObjectionItemDto)
  items!: ObjectionItemDto[];
}
