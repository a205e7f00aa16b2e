import type { AssessmentInputs } from '@arc/contracts';

/*
 * Four prepared customers the default model puts in classes A, B, C and D (unit tests, the integration
 * test of the scorecard and the demo company use the same figures). Amounts in EUR minor units.
 */
const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

export const PROFILE_A: AssessmentInputs = {
  bureauScore: 85,
  yearsInBusiness: 15,
  onTimePaymentBasisPoints: null,
  averageDaysLate: null,
  brokenPromises: null,
  operatingCashFlowMarginBasisPoints: 1600,
  netMarginBasisPoints: 1100,
  currentRatioHundredths: 210,
  debtRatioBasisPoints: 3000,
  guaranteeCoverBasisPoints: 0,
  insuranceCoverBasisPoints: 8000,
  industryRisk: 'low',
  marketTrend: 'growing',
  equity: eur('800000000'),
  annualRevenue: eur('3000000000'),
};

export const PROFILE_B: AssessmentInputs = {
  bureauScore: 70,
  yearsInBusiness: 8,
  onTimePaymentBasisPoints: null,
  averageDaysLate: null,
  brokenPromises: null,
  operatingCashFlowMarginBasisPoints: 1100,
  netMarginBasisPoints: 600,
  currentRatioHundredths: 160,
  debtRatioBasisPoints: 5500,
  guaranteeCoverBasisPoints: 2000,
  insuranceCoverBasisPoints: 0,
  industryRisk: 'medium',
  marketTrend: 'stable',
  equity: eur('200000000'),
  annualRevenue: eur('1000000000'),
};

export const PROFILE_C: AssessmentInputs = {
  bureauScore: 55,
  yearsInBusiness: 3,
  onTimePaymentBasisPoints: null,
  averageDaysLate: null,
  brokenPromises: null,
  operatingCashFlowMarginBasisPoints: 600,
  netMarginBasisPoints: 250,
  currentRatioHundredths: 125,
  debtRatioBasisPoints: 6600,
  guaranteeCoverBasisPoints: 0,
  insuranceCoverBasisPoints: 0,
  industryRisk: 'medium',
  marketTrend: 'stable',
  equity: eur('50000000'),
  annualRevenue: eur('400000000'),
};

export const PROFILE_D: AssessmentInputs = {
  bureauScore: 30,
  yearsInBusiness: 1,
  onTimePaymentBasisPoints: null,
  averageDaysLate: null,
  brokenPromises: null,
  operatingCashFlowMarginBasisPoints: -300,
  netMarginBasisPoints: -500,
  currentRatioHundredths: 80,
  debtRatioBasisPoints: 8500,
  guaranteeCoverBasisPoints: 0,
  insuranceCoverBasisPoints: 0,
  industryRisk: 'high',
  marketTrend: 'declining',
  equity: eur('-1000000'),
  annualRevenue: eur('50000000'),
};
