import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EVIDENCE_KINDS, type EvidenceKind, type MoneyJson } from '@arc/contracts';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class ContactDto {
  @ApiProperty({ example: 'Anna Weber' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'CFO' }) @IsString() @IsNotEmpty() @MaxLength(200) role!: string;
  @ApiPropertyOptional({ example: 'anna.weber@mueller.example', nullable: true }) @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @ApiPropertyOptional({ example: '+49 89 1234567', nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50) phone?: string;
}

export class SetContactsDto {
  @ApiProperty({ type: [ContactDto], description: 'the whole list as it now stands (the earlier list stays in the history)' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts!: ContactDto[];
}

export class AddEvidenceDto {
  @ApiProperty({ format: 'uuid', description: 'chosen by the caller; adding the same piece again repeats nothing' })
  @IsUUID()
  evidenceId!: string;
  @ApiProperty({ enum: EVIDENCE_KINDS, example: 'bureau-report' }) @IsIn(EVIDENCE_KINDS) kind!: EvidenceKind;
  @ApiProperty({ example: 'Creditreform 2026-0815', description: 'where the document is kept (report number, archive reference, URL)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reference!: string;
  @ApiPropertyOptional({ example: 'a3f5c2e1'.repeat(8), description: 'SHA-256 of the document, 64 lower-case hex digits' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'documentHash must be a SHA-256 hash (64 lower-case hex digits)' })
  documentHash?: string;
  @ApiProperty({ example: '2026-01-04' }) @IsBusinessDate() receivedOn!: string;
  @ApiPropertyOptional({ example: '2027-01-03' }) @IsOptional() @IsBusinessDate() validUntil?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the earlier piece this one replaces; it stays in the file, marked superseded' })
  @IsOptional()
  @IsUUID()
  supersedes?: string;
}

/** A share of the limit or a fixed amount, or neither (no tolerance). */
export class SetToleranceDto {
  @ApiPropertyOptional({ example: 500, description: 'a share of the limit in basis points (500 = 5 %), 0–10000' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  basisPoints?: number;
  @ApiPropertyOptional({
    type: MoneyBody,
    example: { amountMinor: '500000', currency: 'EUR' },
    description: 'a fixed amount in the customer currency',
  })
  @IsOptional()
  @IsMoney()
  amount?: MoneyBody;
}

export class SetInsuranceCoverDto {
  @ApiProperty({ example: 'Allianz Trade' }) @IsString() @IsNotEmpty() @MaxLength(200) insurer!: string;
  @ApiProperty({ example: 'AT-2026-44812' }) @IsString() @IsNotEmpty() @MaxLength(100) policyNumber!: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '4000000', currency: 'EUR' } }) @IsMoney() insuredAmount!: MoneyBody;
  @ApiProperty({ example: '2026-12-31' }) @IsBusinessDate() validUntil!: string;
}

export interface CreditFileResponse {
  customerId: string;
  company: {
    legalName: string;
    registrationNumber: string;
    industry: string;
    country: string;
    businessUnit: string;
    currency: string;
  };
  contacts: Array<{ name: string; role: string; email: string | null; phone: string | null }>;
  /** Every piece ever added, oldest first; superseded pieces stay, with `supersededBy`. */
  evidence: Array<{
    evidenceId: string;
    kind: string;
    reference: string;
    documentHash: string | null;
    receivedOn: string;
    validUntil: string | null;
    supersedes: string | null;
    supersededBy: string | null;
    addedBy: string;
  }>;
  tolerance: { basisPoints: number } | { amount: MoneyJson } | null;
  insurance: { insurer: string; policyNumber: string; insuredAmount: MoneyJson; validUntil: string } | null;
  assessments: Array<{
    assessmentId: string;
    purpose: string;
    assessedOn: string;
    modelVersion: number;
    score: number;
    creditClass: string;
  }>;
}
