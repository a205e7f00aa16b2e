import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { FactorContribution } from '@arc/contracts';
import { IsBusinessDate } from '@arc/platform';

export class ReviewCustomerDto {
  @ApiProperty({
    format: 'uuid',
    description: 'chosen by the caller; names the review (the assessment it records); repeating it repeats nothing',
  })
  @IsUUID()
  reviewId!: string;
  @ApiProperty({ example: '2026-03-31', description: 'the business date of the review: invoices due before it count' })
  @IsBusinessDate()
  reviewedOn!: string;
  @ApiPropertyOptional({
    example: '2027-03-31',
    description: 'the next review date; default by the class the review arrives at (A, B: 12 months; C: 6; D: 3)',
  })
  @IsOptional()
  @IsBusinessDate()
  nextReviewDate?: string;
}

export class ReviewsDueQueryDto {
  @ApiProperty({ example: '2026-03-31', description: 'reviews whose date is on or before this business date' })
  @IsBusinessDate()
  asOf!: string;
}

export interface ReviewResponse {
  reviewId: string;
  customerId: string;
  /** How the customer paid, from invoicing and payments events (invoices fallen due or settled by the review date). */
  behaviour: {
    invoicesCounted: number;
    onTimePaymentBasisPoints: number | null;
    averageDaysLate: number | null;
    averageDaysToPay: number | null;
    brokenPromises: number | null;
  };
  modelVersion: number;
  score: number;
  previousClass: string;
  creditClass: string;
  /** `downgrade` or `upgrade` when the class changed (announced by `CustomerReclassified`), else null. */
  reclassified: 'downgrade' | 'upgrade' | null;
  nextReviewDate: string;
  factors: FactorContribution[];
}
