/*
 * The 5C assessment as one pure function: inputs and a scoring model in, a score 0–100, a class, a
 * recommended limit and terms out, with every factor's contribution and every input's points so a person
 * can see why. Exact integer arithmetic throughout (weights in percent, points 0–100):
 *   score = round_half_up( Σ_factor factorWeight × Σ_input inputWeight × points / 10 000 )
 * A factor's contribution is shown in hundredths of a point, rounded half-up on its own; the score is
 * rounded once from the exact sum, so the shown contributions may differ from it by a rounding.
 */
import {
  CATEGORICAL_SCORING_INPUTS,
  type AssessmentInputs,
  type ClassRecommendation,
  type CreditClass,
  type FactorContribution,
  type InputScore,
  type ScoringInputSpec,
  type ScoringModel,
} from '@arc/contracts';
import { divideRounded, minorUnitExponent, money, parseMoney, type CurrencyCode, type Money } from '@arc/money';
import { CurrencyMismatchError } from '../customer-credit-account.errors';

export interface AssessmentResult {
  modelVersion: number;
  score: number;
  creditClass: CreditClass;
  factors: FactorContribution[];
  recommendedLimit: Money;
  recommendedPaymentTermDays: number;
  recommendedPrepaymentBasisPoints: number;
}

function pointsFor(spec: ScoringInputSpec, value: number | string | null): number {
  if (value === null) return spec.missingPoints;
  if ((CATEGORICAL_SCORING_INPUTS as readonly string[]).includes(spec.input)) {
    return spec.bands.find((band) => band.equals === value)?.points ?? spec.missingPoints;
  }
  // Bands are descending with a catch-all last (the model's rules guarantee it).
  const band = spec.bands.find((b) => b.atLeast === null || (value as number) >= b.atLeast);
  return band?.points ?? spec.missingPoints;
}

/** The class a score falls in: at least the A cut-off is A, and so on; below C is D. */
export function classOf(score: number, cutOffs: ScoringModel['classCutOffs']): CreditClass {
  if (score >= cutOffs.A) return 'A';
  if (score >= cutOffs.B) return 'B';
  if (score >= cutOffs.C) return 'C';
  return 'D';
}

export function recommendationFor(model: ScoringModel, creditClass: CreditClass): ClassRecommendation {
  const recommendation = model.recommendations.find((r) => r.creditClass === creditClass);
  if (recommendation === undefined) throw new Error(`scoring model has no recommendation for class ${creditClass}`);
  return recommendation;
}

/**
 * min(equity × equity share, annual revenue × revenue share), each share rounded down, never below zero,
 * then rounded down to the model's multiple of major units: a recommendation never exceeds its basis.
 */
export function recommendedLimit(model: ScoringModel, creditClass: CreditClass, equity: Money, annualRevenue: Money): Money {
  if (equity.currency !== annualRevenue.currency)
    throw new CurrencyMismatchError(equity.currency, annualRevenue.currency, 'annualRevenue', "equity's currency");
  const { equityShareBasisPoints, revenueShareBasisPoints } = recommendationFor(model, creditClass);
  const byEquity = divideRounded(equity.amountMinor * BigInt(equityShareBasisPoints), 10_000n, 'down');
  const byRevenue = divideRounded(annualRevenue.amountMinor * BigInt(revenueShareBasisPoints), 10_000n, 'down');
  const basis = byEquity < byRevenue ? byEquity : byRevenue;
  const unit = BigInt(model.limitRoundingMajorUnits) * 10n ** BigInt(minorUnitExponent(equity.currency as CurrencyCode));
  const rounded = basis <= 0n ? 0n : (basis / unit) * unit;
  return money(rounded, equity.currency);
}

export function assess(model: ScoringModel, modelVersion: number, inputs: AssessmentInputs): AssessmentResult {
  let weighted = 0n;
  const factors = model.factors.map((factor): FactorContribution => {
    const scores = factor.inputs.map((spec): InputScore => {
      const value = inputs[spec.input];
      return {
        input: spec.input,
        value: value === null ? null : String(value),
        points: pointsFor(spec, value),
        weightPercent: spec.weightPercent,
      };
    });
    const factorSum = scores.reduce((total, s) => total + BigInt(s.weightPercent) * BigInt(s.points), 0n);
    weighted += BigInt(factor.weightPercent) * factorSum;
    return {
      factor: factor.factor,
      weightPercent: factor.weightPercent,
      contributionHundredths: Number(divideRounded(BigInt(factor.weightPercent) * factorSum, 100n, 'half-up')),
      inputs: scores,
    };
  });
  const score = Number(divideRounded(weighted, 10_000n, 'half-up'));
  const creditClass = classOf(score, model.classCutOffs);
  const recommendation = recommendationFor(model, creditClass);
  return {
    modelVersion,
    score,
    creditClass,
    factors,
    recommendedLimit: recommendedLimit(
      model,
      creditClass,
      parseMoney(inputs.equity, 'equity'),
      parseMoney(inputs.annualRevenue, 'annualRevenue'),
    ),
    recommendedPaymentTermDays: recommendation.paymentTermDays,
    recommendedPrepaymentBasisPoints: recommendation.prepaymentBasisPoints,
  };
}
