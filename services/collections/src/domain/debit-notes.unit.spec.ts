import { parseMajor, toJson } from '@arc/money';
import { customerDunningDecider as decider, type RunDunning } from './customer-dunning.decider';
import type { CustomerDunningEvent } from './customer-dunning.events';
import { STANDARD_DUNNING_STRATEGY } from './dunning-strategy';
import { dunnedItems, type InvoiceBalance } from './open-items';

const interest = { debitNoteId: 'dddddddd-0000-4000-8000-000000000001', number: 'DN-1', dueDate: '2026-04-15', amountMinor: 2500n };
const balance = (changes: Partial<InvoiceBalance> = {}): InvoiceBalance => ({
  invoiceId: 'i1',
  invoiceNumber: 'INV-1',
  currency: 'EUR',
  dueDate: '2026-03-01',
  totalMinor: 100000n,
  settledMinor: 0n,
  dueItems: null,
  debitNotes: [interest],
  disputes: [],
  cancelled: false,
  ...changes,
});
const summary = (b: InvoiceBalance) =>
  dunnedItems(b).map((i) => `${i.debitNoteNumber ?? i.invoiceNumber} ${i.dueDate} ${i.open.amountMinor}`);

describe('debit notes are dunned as items of their own', () => {
  it('a debit note raises what is open on the invoice, as its own item due on its own date', () => {
    expect(summary(balance())).toEqual(['INV-1 2026-03-01 100000', 'DN-1 2026-04-15 2500']);
  });

  it('payments settle the oldest due first: the invoice, then the interest charged on it', () => {
    expect(summary(balance({ settledMinor: 100000n }))).toEqual(['DN-1 2026-04-15 2500']);
    expect(summary(balance({ settledMinor: 101000n }))).toEqual(['DN-1 2026-04-15 1500']);
    expect(summary(balance({ settledMinor: 102500n }))).toEqual([]);
  });

  it('a dispute on the whole invoice takes its own amount first, then its debit notes; a cancelled invoice dunns nothing', () => {
    expect(summary(balance({ disputes: [{ sequence: null, amountMinor: 101000n }] }))).toEqual(['DN-1 2026-04-15 1500']);
    expect(summary(balance({ cancelled: true }))).toEqual([]);
  });

  it('the run plans a debit note from its own due date and records its steps apart from the invoice’s, once each', () => {
    const customerId = 'c0ffee00-0000-4000-8000-000000000001';
    const items = dunnedItems(balance({ invoiceId: 'aaaaaaaa-0000-4000-8000-000000000001', settledMinor: 0n }));
    const run = (businessDate: string): RunDunning => ({
      type: 'RunDunning',
      data: { customerId, businessDate, strategy: STANDARD_DUNNING_STRATEGY, items, paidToDate: [] },
    });
    const history: CustomerDunningEvent[] = [];
    const step = (businessDate: string) => {
      const events = decider.decide(run(businessDate), history.reduce(decider.evolve, decider.initialState));
      history.push(...events);
      return events.flatMap((e) =>
        e.type === 'DunningStepExecuted' ? [`${e.data.debitNoteNumber ?? e.data.invoiceNumber} ${e.data.stepId} ${e.data.dueDate}`] : [],
      );
    };
    // +1 of the invoice on 2026-03-02; the debit note's −5 on 2026-04-10 and +1 on 2026-04-16.
    expect(step('2026-03-02')).toEqual(['INV-1 friendly-reminder 2026-03-01']);
    expect(step('2026-04-10')).toEqual(expect.arrayContaining(['DN-1 pre-due-reminder 2026-04-15']));
    expect(step('2026-04-10')).toEqual([]);
    expect(step('2026-04-16')).toEqual(expect.arrayContaining(['DN-1 friendly-reminder 2026-04-15']));
    const dn = history.find((e) => e.type === 'DunningStepExecuted' && e.data.debitNoteId === interest.debitNoteId);
    expect(dn?.data).toMatchObject({ debitNoteNumber: 'DN-1', openAmount: toJson(parseMajor('25.00', 'EUR')) });
  });
});
