import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsUUID } from 'class-validator';
import type { AssessmentInputs, FactorContribution, MoneyJson } from '@arc/contracts';
import { IsBusinessDate } from '@arc/platform';
import { PROFILE_B } from '../../domain/scoring/testing/profiles';

export class AssessCustomerDto {
  @ApiProperty({ format: 'uuid', description: 'chosen by the caller; assessing again with the same id and figures repeats nothing' })
  @IsUUID()
  assessmentId!: string;
  @ApiProperty({ example: '2026-01-05' }) @IsBusinessDate() assessedOn!: string;
  @ApiProperty({
    description:
      'the 5C figures: integers (ratios in basis points, current ratio in hundredths), null when unknown; equity and annual revenue in the customer currency',
    example: PROFILE_B,
  })
  @IsObject()
  inputs!: AssessmentInputs;
}

export interface AssessmentResponse {
  assessmentId: string;
  modelVersion: number;
  score: number;
  creditClass: string;
  /** Each factor's weight, its contribution in hundredths of a point, and each input's value and points. */
  factors: FactorContribution[];
  recommendedLimit: MoneyJson;
  recommendedPaymentTermDays: number;
  recommendedPrepaymentBasisPoints: number;
}
