import {
  arrayOf,
  date,
  defineEvent,
  instant,
  integer,
  isIsoDate,
  isMinorUnits,
  money,
  nullable,
  object,
  oneOf,
  text,
  uuid,
  type FieldCheck,
} from './validation';
import fc from 'fast-check';
import { MAX_AMOUNT_MINOR, MAX_FIGURE_MINOR, parseMoney } from '@arc/money';
import { PaymentsEvents } from './payments.events';
import { ProjectionChangeEvents } from './projections.events';

function problemsOf(fieldCheck: FieldCheck, value: unknown, path = 'field'): string[] {
  const problems: string[] = [];
  fieldCheck(value, path, problems);
  return problems;
}

describe('event data validation toolkit', () => {
  it('accepts only real calendar dates in YYYY-MM-DD form', () => {
    expect(['2024-02-29', '2026-12-31', '0001-01-01'].every(isIsoDate)).toBe(true);
    expect(['2026-02-29', '2026-04-31', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', '', 20260101].some(isIsoDate)).toBe(false);
    expect(problemsOf(date, '2026-02-30', 'dueDate')).toEqual(['dueDate must be a date \'YYYY-MM-DD\' (got "2026-02-30")']);
  });

  it('accepts only canonical integer minor units', () => {
    expect(['0', '-1', '6000000', '123456789012345678901234567890'].every(isMinorUnits)).toBe(true);
    expect(['', '-0', '+1', '007', '1.00', '1e6', ' 1', 6000000].some(isMinorUnits)).toBe(false);
  });

  it('refuses money whose amount is a JSON number, saying so', () => {
    expect(problemsOf(money(), { amountMinor: 60000.5, currency: 'EUR' }, 'total')).toEqual([
      'total.amountMinor must be an integer of minor units as a string ("-150", "6000000") (got 60000.5)',
    ]);
  });

  it('refuses zero where money must be positive and negatives where it must not be', () => {
    expect(problemsOf(money('positive'), { amountMinor: '0', currency: 'EUR' }, 'amount')).toEqual([
      'amount.amountMinor must be greater than zero',
    ]);
    expect(problemsOf(money('non-negative'), { amountMinor: '-1', currency: 'EUR' }, 'limit')).toEqual([
      'limit.amountMinor must not be negative',
    ]);
    expect(problemsOf(money('non-negative'), { amountMinor: '0', currency: 'EUR' })).toEqual([]);
  });

  it('bounds every amount as parseMoney does, so no producer can write an event a consumer would refuse', () => {
    const at = (minor: bigint) => ({ amountMinor: minor.toString(), currency: 'EUR' });
    expect(problemsOf(money(), at(MAX_AMOUNT_MINOR))).toEqual([]);
    expect(problemsOf(money(), at(-MAX_AMOUNT_MINOR))).toEqual([]);
    expect(problemsOf(money('positive'), at(MAX_AMOUNT_MINOR + 1n), 'amount')).toEqual([
      `amount.amountMinor must be at most ${MAX_AMOUNT_MINOR} minor units either side of zero (amount bound)`,
    ]);
    expect(problemsOf(money(), at(-MAX_AMOUNT_MINOR - 1n))).toHaveLength(1);
    // A figure (a sum: open AR, exposure) may be larger, up to what a numeric(38, 0) column holds.
    expect(problemsOf(money('any', 'figure'), at(MAX_AMOUNT_MINOR + 1n))).toEqual([]);
    expect(problemsOf(money('any', 'figure'), at(MAX_FIGURE_MINOR))).toEqual([]);
    expect(problemsOf(money('any', 'figure'), at(MAX_FIGURE_MINOR + 1n))).toHaveLength(1);
  });

  it('accepts an amount exactly when parseMoney reads it, for one amount and for a figure (generated amounts)', () => {
    const reads = (value: unknown, bound: 'amount' | 'figure'): boolean => {
      try {
        parseMoney(value, 'm', { bound });
        return true;
      } catch {
        return false;
      }
    };
    const amounts = fc.oneof(
      fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
      fc.bigInt({ min: MAX_AMOUNT_MINOR - 3n, max: MAX_AMOUNT_MINOR + 3n }),
      fc.bigInt({ min: -MAX_AMOUNT_MINOR - 3n, max: -MAX_AMOUNT_MINOR + 3n }),
      fc.bigInt({ min: MAX_FIGURE_MINOR - 3n, max: MAX_FIGURE_MINOR + 3n }),
    );
    fc.assert(
      fc.property(amounts, fc.constantFrom('amount' as const, 'figure' as const), (minor, bound) => {
        const value = { amountMinor: minor.toString(), currency: 'EUR' };
        return (problemsOf(money('any', bound), value).length === 0) === reads(value, bound);
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses a payment event with a 16-digit amount, and lets a figures event carry a sum beyond one amount', () => {
    const payment = {
      paymentId: '00000000-0000-4000-8000-000000000001',
      customerId: '00000000-0000-4000-8000-000000000002',
      bankReference: 'B-1',
      amount: { amountMinor: '1' + '0'.repeat(15), currency: 'EUR' },
      receivedOn: '2026-01-05',
      method: 'bank-transfer',
      remittanceReferences: [],
    };
    expect(PaymentsEvents.PaymentReceived.validate(payment)).toEqual({
      ok: false,
      problems: [`amount.amountMinor must be at most ${MAX_AMOUNT_MINOR} minor units either side of zero (amount bound)`],
    });
    const contract = ProjectionChangeEvents.CustomerExposureChanged;
    const big = { amountMinor: (MAX_AMOUNT_MINOR * 3n).toString(), currency: 'EUR' };
    const problems = (r: { ok: boolean; problems?: string[] }) => (r.ok ? [] : (r.problems ?? []));
    expect(problems(contract.validate({ openAr: big })).filter((p) => p.startsWith('openAr'))).toEqual([]);
  });

  it('refuses a lower-case or numeric currency code', () => {
    expect(problemsOf(money(), { amountMinor: '1', currency: 'eur' }, 'm')).toEqual([
      'm.currency must be an ISO 4217 code (three upper-case letters) (got "eur")',
    ]);
  });

  it('names missing and unknown fields of nested objects by their path', () => {
    const line = object<{ description: string; amount: unknown }>({ description: text, amount: money() });
    expect(
      problemsOf(
        arrayOf(line),
        [
          { description: 'ok', amount: { amountMinor: '1', currency: 'EUR' } },
          { amount: {}, note: 'x' },
        ],
        'lines',
      ),
    ).toEqual([
      'lines[1].description is missing',
      'lines[1].amount.amountMinor is missing',
      'lines[1].amount.currency is missing',
      'lines[1].note is not a known field',
    ]);
  });

  it('does not take inherited properties for fields', () => {
    const shape = object<{ toString: string }>({ toString: text });
    expect(problemsOf(shape, {}, 'x')).toEqual(['x.toString is missing']);
  });

  it('enforces a minimum number of items', () => {
    expect(problemsOf(arrayOf(text, { minItems: 1 }), [], 'lines')).toEqual(['lines must have at least 1 item']);
    expect(problemsOf(arrayOf(text), 'a', 'lines')).toEqual(['lines must be an array (got "a")']);
  });

  it('lets null through only where a field is nullable', () => {
    expect(problemsOf(nullable(uuid), null)).toEqual([]);
    expect(problemsOf(uuid, null)).toEqual(['field must be a UUID (got null)']);
    expect(problemsOf(nullable(uuid), 'nope')).toEqual(['field must be a UUID (got "nope")']);
  });

  it('bounds integers and refuses fractions', () => {
    expect(problemsOf(integer(0, 10_000), 200)).toEqual([]);
    expect(problemsOf(integer(0, 10_000), 10_001)).toEqual(['field must be an integer from 0 to 10000 (got 10001)']);
    expect(problemsOf(integer(1), 1.5)).toEqual(['field must be an integer >= 1 (got 1.5)']);
    expect(problemsOf(integer(1), '2')).toEqual(['field must be an integer >= 1 (got "2")']);
  });

  it('lists the allowed values of an enumeration', () => {
    expect(problemsOf(oneOf(['cash', 'card'] as const), 'cheque')).toEqual(["field must be one of 'cash', 'card' (got \"cheque\")"]);
  });

  it('refuses a blank string where text is required', () => {
    expect(problemsOf(text, '   ')).toEqual(['field must be a non-empty string (got "   ")']);
  });

  it('accepts instants with a zone only', () => {
    expect(problemsOf(instant, '2026-01-01T09:30:00.000Z')).toEqual([]);
    expect(problemsOf(instant, '2026-01-01T09:30:00')).toEqual(['field must be an ISO 8601 instant (got "2026-01-01T09:30:00")']);
  });

  it('runs cross-field rules only on well-formed data, and reports the data itself when it is not an object', () => {
    const rules = jest.fn();
    const contract = defineEvent<{ a: string }>()({
      type: 'SomethingHappened',
      topic: 'arc.credit.events',
      schemaVersion: 1,
      shape: { a: text },
      rules,
    });
    expect(contract.validate({ a: '' })).toEqual({ ok: false, problems: ['a must be a non-empty string (got "")'] });
    expect(rules).not.toHaveBeenCalled();
    expect(contract.validate([])).toEqual({ ok: false, problems: ['data must be a JSON object (got an array)'] });
    expect(contract.validate({ a: 'x' })).toEqual({ ok: true, value: { a: 'x' } });
    expect(rules).toHaveBeenCalledTimes(1);
  });
});
