import type { ScoringBand, ScoringInputSpec, ScoringModel } from '@arc/contracts';

/*
 * The model ARC ships (version 1 of a fresh installation). Weights follow the usual 5C emphasis: how a
 * customer pays (character) and can pay (capacity) weigh most; collateral and conditions adjust.
 * Ratios are integers: basis points (1 % = 100) or hundredths (current ratio 1.50 = 150).
 */

const numeric = (...bounds: Array<[atLeast: number | null, points: number]>): ScoringBand[] =>
  bounds.map(([atLeast, points]) => ({ atLeast, equals: null, points }));
const categorical = (...values: Array<[equals: string, points: number]>): ScoringBand[] =>
  values.map(([equals, points]) => ({ atLeast: null, equals, points }));
const input = (name: ScoringInputSpec['input'], weightPercent: number, missingPoints: number, bands: ScoringBand[]): ScoringInputSpec => ({
  input: name,
  weightPercent,
  bands,
  missingPoints,
});

export const DEFAULT_SCORING_MODEL: ScoringModel = {
  factors: [
    {
      factor: 'character',
      weightPercent: 30,
      inputs: [
        input('bureauScore', 40, 40, numeric([80, 100], [65, 75], [50, 50], [35, 25], [null, 0])),
        input('yearsInBusiness', 20, 20, numeric([10, 100], [5, 70], [2, 40], [null, 10])),
        // A new customer has no own history: a neutral 60 rather than a penalty.
        input('onTimePaymentBasisPoints', 25, 60, numeric([9500, 100], [8500, 75], [7000, 45], [5000, 20], [null, 0])),
        // Late days and broken promises are "less is better": the catch-all band is the worst.
        input('averageDaysLate', 10, 60, numeric([61, 0], [31, 20], [11, 50], [1, 80], [null, 100])),
        input('brokenPromises', 5, 100, numeric([3, 0], [1, 40], [null, 100])),
      ],
    },
    {
      factor: 'capacity',
      weightPercent: 25,
      inputs: [
        input('operatingCashFlowMarginBasisPoints', 60, 30, numeric([1500, 100], [1000, 80], [500, 60], [0, 30], [null, 0])),
        input('netMarginBasisPoints', 40, 30, numeric([1000, 100], [500, 75], [200, 50], [0, 25], [null, 0])),
      ],
    },
    {
      factor: 'capital',
      weightPercent: 20,
      inputs: [
        input('currentRatioHundredths', 50, 30, numeric([200, 100], [150, 80], [120, 60], [100, 35], [null, 0])),
        input('debtRatioBasisPoints', 50, 30, numeric([8000, 0], [6500, 25], [5000, 55], [3500, 80], [null, 100])),
      ],
    },
    {
      factor: 'collateral',
      weightPercent: 10,
      inputs: [
        input('guaranteeCoverBasisPoints', 50, 0, numeric([8000, 100], [5000, 70], [2000, 40], [1, 20], [null, 0])),
        input('insuranceCoverBasisPoints', 50, 0, numeric([8000, 100], [5000, 70], [2000, 40], [1, 20], [null, 0])),
      ],
    },
    {
      factor: 'conditions',
      weightPercent: 15,
      inputs: [
        input('industryRisk', 60, 50, categorical(['low', 100], ['medium', 60], ['high', 20])),
        input('marketTrend', 40, 50, categorical(['growing', 100], ['stable', 65], ['declining', 20])),
      ],
    },
  ],
  classCutOffs: { A: 80, B: 65, C: 45 },
  recommendations: [
    { creditClass: 'A', paymentTermDays: 60, prepaymentBasisPoints: 0, equityShareBasisPoints: 2000, revenueShareBasisPoints: 1000 },
    { creditClass: 'B', paymentTermDays: 45, prepaymentBasisPoints: 0, equityShareBasisPoints: 1000, revenueShareBasisPoints: 600 },
    { creditClass: 'C', paymentTermDays: 30, prepaymentBasisPoints: 3000, equityShareBasisPoints: 500, revenueShareBasisPoints: 300 },
    { creditClass: 'D', paymentTermDays: 0, prepaymentBasisPoints: 10_000, equityShareBasisPoints: 0, revenueShareBasisPoints: 0 },
  ],
  limitRoundingMajorUnits: 1000,
};
