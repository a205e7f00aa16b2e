import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { BANK_STATEMENT_FORMATS, type BankStatementFormat } from '@arc/contracts';

/** A part of an upload: text, at most 400,000 characters (requests are JSON of at most 512 kB). */
export const MAX_PART_CHARACTERS = 400_000;

const column = (example: string, description: string) => ApiPropertyOptional({ example, description });

export class CsvMappingDto {
  @ApiProperty({ example: 'Booking date', description: 'header of the booking date column' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  bookingDate!: string;
  @ApiProperty({ example: 'Amount', description: 'header of the amount column (negative = debit unless creditDebit is mapped)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  amount!: string;
  @column('Currency', 'header of the currency column; else csv.currency')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currency?: string;
  @column('C/D', 'header of a credit/debit column (C/D, CRDT/DBIT, credit/debit, H/S)')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  creditDebit?: string;
  @column('Bank reference', "header of the bank's entry reference (part of the entry identity)")
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  bankReference?: string;
  @column('Payer IBAN', 'header of the payer account') @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) payerIban?: string;
  @column('Payer name', 'header of the payer name') @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) payerName?: string;
  @ApiPropertyOptional({ type: [String], example: ['Purpose'], description: 'headers of remittance text columns' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  remittance?: string[];
  @column('Account', 'header of our account column; else csv.accountIban')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  accountIban?: string;
}

export class CsvOptionsDto {
  @ApiProperty({ type: CsvMappingDto }) @ValidateNested() @Type(() => CsvMappingDto) mapping!: CsvMappingDto;
  @ApiPropertyOptional({ enum: [',', ';', '\t', '|'], example: ';' }) @IsOptional() @IsIn([',', ';', '\t', '|']) delimiter?: string;
  @ApiPropertyOptional({ enum: ['.', ','], example: ',' }) @IsOptional() @IsIn(['.', ',']) decimalSeparator?: '.' | ',';
  @ApiPropertyOptional({ enum: ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY'], example: 'DD.MM.YYYY' })
  @IsOptional()
  @IsIn(['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY'])
  dateFormat?: 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'MM/DD/YYYY';
  @ApiPropertyOptional({ example: 'EUR' }) @IsOptional() @Matches(/^[A-Z]{3}$/) currency?: string;
  @ApiPropertyOptional({ example: 'DE02120300000000202051' }) @IsOptional() @Matches(/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/) accountIban?: string;
}

export class CreateStatementDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the caller (to upload in parts or poll progress), or generated' })
  @IsOptional()
  @IsUUID()
  statementId?: string;
  @ApiProperty({ enum: BANK_STATEMENT_FORMATS, example: 'camt.053' }) @IsIn(BANK_STATEMENT_FORMATS) format!: BankStatementFormat;
  @ApiPropertyOptional({ example: 'camt053-20260125.xml' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(300) fileName?: string;
  @ApiPropertyOptional({ type: CsvOptionsDto, description: 'required for csv: the column mapping' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CsvOptionsDto)
  csv?: CsvOptionsDto;
  @ApiPropertyOptional({
    example: '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">…</Document>',
    description:
      'the whole file when it is small: it is stored as part 1 and imported at once (larger files: PUT parts, then POST …/import)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PART_CHARACTERS)
  content?: string;
}

export class StatementPartDto {
  @ApiProperty({ example: '<Ntry>…</Ntry>', description: `the next piece of the file's text, at most ${MAX_PART_CHARACTERS} characters` })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PART_CHARACTERS)
  content!: string;
}

export class PayerAccountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId!: string;
}

export class AssignSuspenseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId!: string;
  @ApiPropertyOptional({ example: true, description: "also map the payer's IBAN to the customer, so its next receipts find it" })
  @IsOptional()
  @IsBoolean()
  mapPayerAccount?: boolean;
}
