import { addDays, parseBusinessDate } from '@arc/clock';
import { InvalidDunningStrategyError, DuplicateDunningItemError } from './collections.errors';
import {
  STANDARD_DUNNING_STRATEGY as standard,
  dueSteps,
  dunningStrategyProblems,
  type DunningStrategy,
  type ExecutedStep,
} from './dunning-strategy';

const INV_1 = '1a000000-0000-4000-8000-000000000001';
const INV_2 = '1a000000-0000-4000-8000-000000000002';
const item = (invoiceId: string, dueDate: string) => ({ invoiceId, dueDate });
const ids = (planned: ReturnType<typeof dueSteps>) => planned.map((p) => `${p.invoiceId === INV_1 ? 'inv1' : 'inv2'}:${p.stepId}`);

describe('dunning plan', () => {
  it('plans the pre-due reminder five days before the due date, and nothing earlier', () => {
    expect(ids(dueSteps(standard, [item(INV_1, '2026-02-10')], '2026-02-04', []))).toEqual([]);
    const planned = dueSteps(standard, [item(INV_1, '2026-02-10')], '2026-02-05', []);
    expect(planned).toEqual([
      {
        invoiceId: INV_1,
        stepId: 'pre-due-reminder',
        action: 'pre-due-reminder',
        channels: ['email'],
        template: 'pre-due-reminder',
        dueDate: '2026-02-10',
        scheduledOn: '2026-02-05',
        offsetDays: -5,
      },
    ]);
  });

  it('plans each step once: with what was executed recorded, the same run plans nothing (idempotent)', () => {
    const items = [item(INV_1, '2026-02-10')];
    const first = dueSteps(standard, items, '2026-02-11', []);
    expect(ids(first)).toEqual(['inv1:friendly-reminder']);
    expect(dueSteps(standard, items, '2026-02-11', first)).toEqual([]);
    expect(dueSteps(standard, items, '2026-02-24', first)).toEqual([]);
  });

  it('walks the strategy day by day through every step, in order', () => {
    const items = [item(INV_1, '2026-01-31')];
    const executed: ExecutedStep[] = [];
    const log: string[] = [];
    for (let day = -10; day <= 100; day++) {
      const date = addDays(parseBusinessDate('2026-01-31'), day);
      const planned = dueSteps(standard, items, date, executed);
      executed.push(...planned);
      log.push(...planned.map((p) => `${p.offsetDays}:${p.stepId}`));
    }
    expect(log).toEqual([
      '-5:pre-due-reminder',
      '1:friendly-reminder',
      '15:call',
      '30:demand-letter',
      '45:credit-hold',
      '60:lawyer-letter',
      '90:agency',
    ]);
  });

  it('catches up with only the most advanced step, never flooding a customer with every missed step', () => {
    expect(ids(dueSteps(standard, [item(INV_1, '2026-01-01')], '2026-02-05', []))).toEqual(['inv1:demand-letter']);
  });

  it('never skips a step marked not skippable: the credit-hold request is planned even when the lawyer letter overtook it', () => {
    const planned = dueSteps(standard, [item(INV_1, '2026-01-01')], '2026-03-05', [{ invoiceId: INV_1, stepId: 'demand-letter' }]);
    expect(ids(planned)).toEqual(['inv1:credit-hold', 'inv1:lawyer-letter']);
    expect(planned[0]?.scheduledOn).toBe('2026-02-15');
  });

  it('only escalates: a step earlier than one already executed is never planned', () => {
    expect(dueSteps(standard, [item(INV_1, '2026-01-01')], '2026-01-20', [{ invoiceId: INV_1, stepId: 'call' }])).toEqual([]);
  });

  it('plans per item, in the order the items are given', () => {
    const planned = dueSteps(standard, [item(INV_2, '2026-02-20'), item(INV_1, '2026-01-31')], '2026-02-15', []);
    expect(ids(planned)).toEqual(['inv2:pre-due-reminder', 'inv1:call']);
  });

  it('keeps executions of one invoice from counting for another', () => {
    const planned = dueSteps(standard, [item(INV_1, '2026-02-10'), item(INV_2, '2026-02-10')], '2026-02-11', [
      { invoiceId: INV_1, stepId: 'friendly-reminder' },
    ]);
    expect(ids(planned)).toEqual(['inv2:friendly-reminder']);
  });

  it('plans every step of the same day together', () => {
    const strategy: DunningStrategy = {
      strategyId: 's',
      name: 'Two on day one',
      steps: [
        {
          stepId: 'email',
          offsetDays: 1,
          action: 'friendly-reminder',
          channels: ['email'],
          skippable: true,
          template: 'friendly-reminder',
        },
        { stepId: 'sms', offsetDays: 1, action: 'friendly-reminder', channels: ['sms'], skippable: true, template: 'friendly-reminder' },
      ],
    };
    expect(ids(dueSteps(strategy, [item(INV_1, '2026-02-10')], '2026-02-12', []))).toEqual(['inv1:email', 'inv1:sms']);
  });

  it('refuses a strategy with duplicate step ids, fractional offsets, unknown actions or no channel', () => {
    const broken: DunningStrategy = {
      strategyId: 'broken',
      name: 'Broken',
      steps: [
        { stepId: 'a', offsetDays: 1.5, action: 'friendly-reminder', channels: ['email'], skippable: true, template: 'friendly-reminder' },
        { stepId: 'a', offsetDays: 2, action: 'send-flowers' as 'call-task', channels: [], skippable: true, template: 'call-task' },
      ],
    };
    expect(dunningStrategyProblems(broken)).toHaveLength(4);
    expect(() => dueSteps(broken, [], '2026-02-10', [])).toThrow(InvalidDunningStrategyError);
    expect(dunningStrategyProblems(standard)).toEqual([]);
  });

  it('refuses an item listed twice and a date that is not a business date', () => {
    expect(() => dueSteps(standard, [item(INV_1, '2026-02-10'), item(INV_1, '2026-02-10')], '2026-02-11', [])).toThrow(
      DuplicateDunningItemError,
    );
    expect(() => dueSteps(standard, [item(INV_1, '2026-02-30')], '2026-02-11', [])).toThrow(/not a business date/);
  });
});
