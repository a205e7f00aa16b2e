import { parseMajor } from '@arc/money';
import { assess, classOf, recommendedLimit } from './assess';
import { DEFAULT_SCORING_MODEL } from './default-scoring-model';
import { CurrencyMismatchError } from '../customer-credit-account.errors';
import { PROFILE_A, PROFILE_B, PROFILE_C, PROFILE_D } from './testing/profiles';

const model = DEFAULT_SCORING_MODEL;

describe('5C assessment with the default model', () => {
  it.each([
    ['A', PROFILE_A, 91, '1600000.00'],
    ['B', PROFILE_B, 65, '200000.00'],
    ['C', PROFILE_C, 48, '25000.00'],
    ['D', PROFILE_D, 11, '0.00'],
  ])('puts the prepared class-%s customer in its class with its score and recommended limit', (creditClass, inputs, score, limit) => {
    const result = assess(model, 1, inputs);
    expect({ score: result.score, creditClass: result.creditClass, limit: result.recommendedLimit }).toEqual({
      score,
      creditClass,
      limit: parseMajor(limit, 'EUR'),
    });
  });

  it("explains the score: each factor's contribution and each input's points, summing to the score", () => {
    const result = assess(model, 7, PROFILE_B);
    expect(result.modelVersion).toBe(7);
    expect(result.factors.map((f) => [f.factor, f.weightPercent, f.contributionHundredths])).toEqual([
      ['character', 30, 2100],
      ['capacity', 25, 1950],
      ['capital', 20, 1350],
      ['collateral', 10, 200],
      ['conditions', 15, 930],
    ]);
    expect(result.factors.reduce((total, f) => total + f.contributionHundredths, 0)).toBe(6530);
    expect(result.factors[0]!.inputs[0]).toEqual({ input: 'bureauScore', value: '70', points: 75, weightPercent: 40 });
  });

  it("scores an unknown figure with the input's missing points (no payment history is neutral, not a penalty)", () => {
    const character = assess(model, 1, PROFILE_A).factors[0]!;
    expect(character.inputs.find((i) => i.input === 'onTimePaymentBasisPoints')).toEqual({
      input: 'onTimePaymentBasisPoints',
      value: null,
      points: 60,
      weightPercent: 25,
    });
  });

  it('gives the recommended terms of the class', () => {
    expect(assess(model, 1, PROFILE_C)).toMatchObject({ recommendedPaymentTermDays: 30, recommendedPrepaymentBasisPoints: 3000 });
    expect(assess(model, 1, PROFILE_D)).toMatchObject({ recommendedPaymentTermDays: 0, recommendedPrepaymentBasisPoints: 10_000 });
  });

  it('reads cut-offs as the lowest score of a class', () => {
    expect([
      classOf(80, model.classCutOffs),
      classOf(79, model.classCutOffs),
      classOf(45, model.classCutOffs),
      classOf(44, model.classCutOffs),
    ]).toEqual(['A', 'B', 'C', 'D']);
  });

  it('recommends the smaller of the equity and revenue shares, rounded down to whole thousands, never below zero', () => {
    const eur = (major: string) => parseMajor(major, 'EUR');
    // B: 10 % of equity 1,234,567.89 = 123,456.78; 6 % of revenue 10,000,000 = 600,000 → 123,000.00
    expect(recommendedLimit(model, 'B', eur('1234567.89'), eur('10000000.00'))).toEqual(eur('123000.00'));
    expect(recommendedLimit(model, 'A', eur('-5000.00'), eur('10000000.00'))).toEqual(eur('0.00'));
    expect(() => recommendedLimit(model, 'A', eur('1.00'), parseMajor('1.00', 'USD'))).toThrow(CurrencyMismatchError);
  });

  it('changes with the model: a stricter B cut-off moves the same customer to C', () => {
    const stricter = { ...model, classCutOffs: { ...model.classCutOffs, B: 70 } };
    expect(assess(stricter, 2, PROFILE_B)).toMatchObject({ score: 65, creditClass: 'C', modelVersion: 2 });
  });
});
