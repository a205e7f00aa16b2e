import { Topics } from '../topics';
import { CREDIT_CLASSES, type CreditClass } from './credit-class';
import {
  arrayOf,
  check,
  date,
  defineEvent,
  integer,
  isMinorUnits,
  money,
  nullable,
  object,
  oneOf,
  text,
  uuid,
  type FieldCheck,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * Credit assessment (5C scorecard), topic arc.credit.events. The scoring model is versioned configuration
 * (stream `credit-scoring-model`); an assessment is recorded on the customer's stream with the model
 * version it used and every figure that explains its score, so a person can see why.
 */

export const CREDIT_FACTORS = ['character', 'capacity', 'capital', 'collateral', 'conditions'] as const;
export type CreditFactor = (typeof CREDIT_FACTORS)[number];

export const INDUSTRY_RISKS = ['low', 'medium', 'high'] as const;
export type IndustryRisk = (typeof INDUSTRY_RISKS)[number];
export const MARKET_TRENDS = ['growing', 'stable', 'declining'] as const;
export type MarketTrend = (typeof MARKET_TRENDS)[number];

/** Numeric inputs, all integers (ratios in basis points or hundredths, so no float ever enters a score). */
export const NUMERIC_SCORING_INPUTS = [
  'bureauScore',
  'yearsInBusiness',
  'onTimePaymentBasisPoints',
  'averageDaysLate',
  'brokenPromises',
  'operatingCashFlowMarginBasisPoints',
  'netMarginBasisPoints',
  'currentRatioHundredths',
  'debtRatioBasisPoints',
  'guaranteeCoverBasisPoints',
  'insuranceCoverBasisPoints',
] as const;
export const CATEGORICAL_SCORING_INPUTS = ['industryRisk', 'marketTrend'] as const;
export const SCORING_INPUTS = [...NUMERIC_SCORING_INPUTS, ...CATEGORICAL_SCORING_INPUTS] as const;
export type NumericScoringInput = (typeof NUMERIC_SCORING_INPUTS)[number];
export type CategoricalScoringInput = (typeof CATEGORICAL_SCORING_INPUTS)[number];
export type ScoringInput = (typeof SCORING_INPUTS)[number];

/**
 * What an assessment is given. A null figure is unknown (a new customer has no payment history): it
 * scores the input's `missingPoints`. Equity and annual revenue size the recommended limit.
 */
export interface AssessmentInputs {
  bureauScore: number | null;
  yearsInBusiness: number | null;
  onTimePaymentBasisPoints: number | null;
  averageDaysLate: number | null;
  brokenPromises: number | null;
  operatingCashFlowMarginBasisPoints: number | null;
  netMarginBasisPoints: number | null;
  currentRatioHundredths: number | null;
  debtRatioBasisPoints: number | null;
  guaranteeCoverBasisPoints: number | null;
  insuranceCoverBasisPoints: number | null;
  industryRisk: IndustryRisk | null;
  marketTrend: MarketTrend | null;
  equity: MoneyJson;
  annualRevenue: MoneyJson;
}

const signedInteger = check((v) => Number.isSafeInteger(v), 'an integer');

export const assessmentInputsShape = object<AssessmentInputs>({
  bureauScore: nullable(integer(0, 100)),
  yearsInBusiness: nullable(integer(0, 1000)),
  onTimePaymentBasisPoints: nullable(integer(0, 10_000)),
  averageDaysLate: nullable(integer(0, 3650)),
  brokenPromises: nullable(integer(0)),
  operatingCashFlowMarginBasisPoints: nullable(signedInteger),
  netMarginBasisPoints: nullable(signedInteger),
  currentRatioHundredths: nullable(integer(0)),
  debtRatioBasisPoints: nullable(integer(0)),
  guaranteeCoverBasisPoints: nullable(integer(0)),
  insuranceCoverBasisPoints: nullable(integer(0)),
  industryRisk: nullable(oneOf(INDUSTRY_RISKS)),
  marketTrend: nullable(oneOf(MARKET_TRENDS)),
  equity: money(),
  annualRevenue: money('non-negative'),
});

/** A scoring band: numeric inputs score the first band whose `atLeast` the value reaches (null: every value). */
export interface ScoringBand {
  /** Numeric inputs: the lower bound, inclusive; null for the last, catch-all band. Null for categorical inputs. */
  atLeast: number | null;
  /** Categorical inputs: the value this band scores. Null for numeric inputs. */
  equals: string | null;
  /** 0–100. */
  points: number;
}

export interface ScoringInputSpec {
  input: ScoringInput;
  /** Share of the factor, in percent; a factor's inputs sum to 100. */
  weightPercent: number;
  bands: ScoringBand[];
  /** Points when the input is unknown (null). */
  missingPoints: number;
}

export interface ScoringFactorSpec {
  factor: CreditFactor;
  /** Share of the score, in percent; the five factors sum to 100. */
  weightPercent: number;
  inputs: ScoringInputSpec[];
}

/** The terms and limit sizing a class is recommended. */
export interface ClassRecommendation {
  creditClass: CreditClass;
  paymentTermDays: number;
  prepaymentBasisPoints: number;
  /** Recommended limit = min(equity × equityShare, annual revenue × revenueShare), rounded down. */
  equityShareBasisPoints: number;
  revenueShareBasisPoints: number;
}

export interface ScoringModel {
  factors: ScoringFactorSpec[];
  /** The lowest score of each class; below `C` is D. A ≥ B ≥ C. */
  classCutOffs: { A: number; B: number; C: number };
  recommendations: ClassRecommendation[];
  /** The recommended limit is rounded down to a multiple of this many major units (1000 → whole thousands). */
  limitRoundingMajorUnits: number;
}

const band = object<ScoringBand>({ atLeast: nullable(signedInteger), equals: nullable(text), points: integer(0, 100) });
const inputSpec = object<ScoringInputSpec>({
  input: oneOf(SCORING_INPUTS),
  weightPercent: integer(1, 100),
  bands: arrayOf(band, { minItems: 1 }),
  missingPoints: integer(0, 100),
});
const factorSpec = object<ScoringFactorSpec>({
  factor: oneOf(CREDIT_FACTORS),
  weightPercent: integer(0, 100),
  inputs: arrayOf(inputSpec, { minItems: 1 }),
});

export const scoringModelShape: FieldCheck = object<ScoringModel>({
  factors: arrayOf(factorSpec, { minItems: 5 }),
  classCutOffs: object<ScoringModel['classCutOffs']>({ A: integer(0, 100), B: integer(0, 100), C: integer(0, 100) }),
  recommendations: arrayOf(
    object<ClassRecommendation>({
      creditClass: oneOf(CREDIT_CLASSES),
      paymentTermDays: integer(0, 3650),
      prepaymentBasisPoints: integer(0, 10_000),
      equityShareBasisPoints: integer(0, 1_000_000),
      revenueShareBasisPoints: integer(0, 1_000_000),
    }),
    { minItems: 4 },
  ),
  limitRoundingMajorUnits: integer(1),
});

/**
 * Every way a model can contradict itself, in words (empty when it is coherent). The contract and the
 * scoring-model decider both use it, so no incoherent model is ever stored or consumed.
 */
export function scoringModelProblems(model: ScoringModel): string[] {
  const problems: string[] = [];
  const factors = model.factors.map((f) => f.factor);
  for (const factor of CREDIT_FACTORS) {
    const count = factors.filter((f) => f === factor).length;
    if (count !== 1) problems.push(`factor ${factor} must appear exactly once (found ${count})`);
  }
  const factorWeights = model.factors.reduce((total, f) => total + f.weightPercent, 0);
  if (factorWeights !== 100) problems.push(`factor weights must sum to 100 % (they sum to ${factorWeights})`);
  const seenInputs = new Set<string>();
  for (const factor of model.factors) {
    const inputWeights = factor.inputs.reduce((total, i) => total + i.weightPercent, 0);
    if (inputWeights !== 100) problems.push(`${factor.factor}: input weights must sum to 100 % (they sum to ${inputWeights})`);
    for (const input of factor.inputs) {
      if (seenInputs.has(input.input)) problems.push(`input ${input.input} is scored twice`);
      seenInputs.add(input.input);
      problems.push(...bandProblems(factor.factor, input));
    }
  }
  const { A, B, C } = model.classCutOffs;
  if (!(A >= B && B >= C)) problems.push(`class cut-offs must satisfy A ≥ B ≥ C (got A ${A}, B ${B}, C ${C})`);
  for (const creditClass of CREDIT_CLASSES) {
    const count = model.recommendations.filter((r) => r.creditClass === creditClass).length;
    if (count !== 1) problems.push(`class ${creditClass} must have exactly one recommendation (found ${count})`);
  }
  return problems;
}

function bandProblems(factor: CreditFactor, spec: ScoringInputSpec): string[] {
  const where = `${factor}.${spec.input}`;
  if ((CATEGORICAL_SCORING_INPUTS as readonly string[]).includes(spec.input)) {
    if (spec.bands.some((b) => b.equals === null || b.atLeast !== null))
      return [`${where}: categorical bands name a value (equals) and no atLeast`];
    return [];
  }
  if (spec.bands.some((b) => b.equals !== null)) return [`${where}: numeric bands have no equals`];
  const bounds = spec.bands.map((b) => b.atLeast);
  if (bounds[bounds.length - 1] !== null || bounds.slice(0, -1).some((b) => b === null)) {
    return [`${where}: only the last band, and it must, have atLeast null (it catches every lower value)`];
  }
  const numbers = bounds.slice(0, -1) as number[];
  if (numbers.some((b, i) => i > 0 && b >= (numbers[i - 1] as number))) return [`${where}: band bounds must be strictly descending`];
  return [];
}

export interface ScoringModelPublishedData {
  /** 1, 2, 3 … : each publication is a new version; assessments record the one they used. */
  version: number;
  model: ScoringModel;
  note: string;
}

export const ScoringModelPublished = defineEvent<ScoringModelPublishedData>()({
  type: 'ScoringModelPublished',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { version: integer(1), model: scoringModelShape, note: text },
  rules: (data, problems) => problems.push(...scoringModelProblems(data.model)),
});

export interface InputScore {
  input: ScoringInput;
  /** The value scored, as text (numbers in their integer form); null when unknown. */
  value: string | null;
  points: number;
  weightPercent: number;
}

export interface FactorContribution {
  factor: CreditFactor;
  weightPercent: number;
  /** Points this factor adds to the score, in hundredths (2350 = 23.50 points). */
  contributionHundredths: number;
  inputs: InputScore[];
}

export const ASSESSMENT_PURPOSES = ['initial', 'review'] as const;
export type AssessmentPurpose = (typeof ASSESSMENT_PURPOSES)[number];

export interface CustomerAssessedData {
  customerId: Uuid;
  assessmentId: Uuid;
  purpose: AssessmentPurpose;
  modelVersion: number;
  assessedOn: IsoDate;
  inputs: AssessmentInputs;
  /** 0–100, rounded half-up from the exact weighted sum. */
  score: number;
  creditClass: CreditClass;
  factors: FactorContribution[];
  recommendedLimit: MoneyJson;
  recommendedPaymentTermDays: number;
  recommendedPrepaymentBasisPoints: number;
  /** Who assessed: `user:<sub>`, or `system:credit` for a review run by the service. */
  assessedBy: string;
}

const scoringValue = check((v) => v === null || (typeof v === 'string' && v.length > 0), 'a non-empty string or null');

export const CustomerAssessed = defineEvent<CustomerAssessedData>()({
  type: 'CustomerAssessed',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    assessmentId: uuid,
    purpose: oneOf(ASSESSMENT_PURPOSES),
    modelVersion: integer(1),
    assessedOn: date,
    inputs: assessmentInputsShape,
    score: integer(0, 100),
    creditClass: oneOf(CREDIT_CLASSES),
    factors: arrayOf(
      object<FactorContribution>({
        factor: oneOf(CREDIT_FACTORS),
        weightPercent: integer(0, 100),
        contributionHundredths: integer(0, 10_000),
        inputs: arrayOf(
          object<InputScore>({
            input: oneOf(SCORING_INPUTS),
            value: scoringValue,
            points: integer(0, 100),
            weightPercent: integer(1, 100),
          }),
          { minItems: 1 },
        ),
      }),
      { minItems: 5 },
    ),
    recommendedLimit: money('non-negative'),
    recommendedPaymentTermDays: integer(0, 3650),
    recommendedPrepaymentBasisPoints: integer(0, 10_000),
    assessedBy: text,
  },
  rules: (data, problems) => {
    if (!isMinorUnits(data.recommendedLimit.amountMinor)) return;
    if (
      data.recommendedLimit.currency !== data.inputs.equity.currency ||
      data.inputs.annualRevenue.currency !== data.inputs.equity.currency
    ) {
      problems.push('recommendedLimit, inputs.equity and inputs.annualRevenue must share one currency');
    }
  },
});

export const RECLASSIFICATION_DIRECTIONS = ['downgrade', 'upgrade'] as const;
export type ReclassificationDirection = (typeof RECLASSIFICATION_DIRECTIONS)[number];

/** A review moved the customer to another class; risk-alert alerts on a downgrade. */
export interface CustomerReclassifiedData {
  customerId: Uuid;
  assessmentId: Uuid;
  fromClass: CreditClass;
  toClass: CreditClass;
  direction: ReclassificationDirection;
  reviewedOn: IsoDate;
}

export const CustomerReclassified = defineEvent<CustomerReclassifiedData>()({
  type: 'CustomerReclassified',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    assessmentId: uuid,
    fromClass: oneOf(CREDIT_CLASSES),
    toClass: oneOf(CREDIT_CLASSES),
    direction: oneOf(RECLASSIFICATION_DIRECTIONS),
    reviewedOn: date,
  },
  rules: (data, problems) => {
    // A is the best class: a later letter is a downgrade.
    const expected = data.toClass > data.fromClass ? 'downgrade' : 'upgrade';
    if (data.fromClass === data.toClass) problems.push('fromClass and toClass must differ');
    else if (data.direction !== expected) problems.push(`direction must be '${expected}' from ${data.fromClass} to ${data.toClass}`);
  },
});
