import type { BusinessDate } from '@arc/clock';
import { InvoicingEvents, type InvoicingEvent } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { parseMajor, toJson, type Money } from '@arc/money';
import {
  balanceOf,
  dueItemPositions,
  invoiceDecider as decider,
  type ContractTermsForInvoice,
  type Invoice,
  type InvoiceCommand,
  type InvoiceStreamEvent,
  type Issued,
} from './invoice.decider';
import { INTEREST_DENOMINATOR, interestToCharge } from './late-interest';
import { AmountExceedsOpenError, InvoiceNotCancellableError, SameApproverError, WriteOffStepError } from './receivable.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const INVOICE = '7f3c2a1e-4b5d-4c6e-8f90-123456789abc';
const CONTRACT = 'c0c0c0c0-0000-4000-8000-000000000001';
const id = (n: number) => `d0d0d0d0-0000-4000-8000-${String(n).padStart(12, '0')}`;
const eur = (major: string): Money => parseMajor(major, 'EUR');
const eurJson = (major: string) => toJson(eur(major));
const date = (text: string) => text as BusinessDate;

const contract = (changes: Partial<ContractTermsForInvoice> = {}): ContractTermsForInvoice => ({
  contractId: CONTRACT,
  customerId: CUSTOMER,
  paymentTerms: { kind: 'net', netDays: 30 },
  earlyPaymentDiscount: null,
  lateInterest: null,
  fixedCompensation: null,
  interestCharging: 'month-end',
  ...changes,
});

const issue = (issueDate: string, total: string, terms: ContractTermsForInvoice): InvoiceCommand => ({
  type: 'IssueInvoice',
  data: {
    invoiceId: INVOICE,
    invoiceNumber: 'INV-1',
    customerId: CUSTOMER,
    currency: 'EUR',
    lines: [{ description: 'Pumps', netAmount: eur(total), taxAmount: eur('0.00') }],
    issueDate: date(issueDate),
    contract: terms,
  },
});

/** Decides each command on the state the previous ones left, checking every published event against its contract. */
function run(commands: InvoiceCommand[], history: InvoiceStreamEvent[] = []): { events: InvoiceStreamEvent[]; state: Invoice } {
  let state = history.reduce(decider.evolve, decider.initialState);
  const events: InvoiceStreamEvent[] = [];
  for (const command of commands) {
    for (const event of decider.decide(command, state)) {
      if (Object.hasOwn(InvoicingEvents, event.type)) {
        const result = InvoicingEvents[event.type as InvoicingEvent['type']].validate(event.data);
        if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
      }
      events.push(event);
      state = decider.evolve(state, event);
    }
  }
  return { events, state };
}

const issued = (state: Invoice): Issued => {
  if (state.status !== 'issued') throw new Error('not issued');
  return state;
};

const accrueDays = (from: string, to: string, rateOn: (day: string) => number | null): InvoiceCommand[] => {
  const commands: InvoiceCommand[] = [];
  for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
    const text = day.toISOString().slice(0, 10);
    commands.push({ type: 'AccrueLateInterest', data: { day: date(text), referenceRateBasisPoints: rateOn(text) } });
  }
  return commands;
};

const pay = (n: number, amount: string, on: string): InvoiceCommand => ({
  type: 'RecordPaymentAllocation',
  data: {
    sourceEventId: id(900 + n),
    paymentId: id(800 + n),
    customerId: CUSTOMER,
    amount: eur(amount),
    allocatedOn: on,
    interestDebitNoteIds: { debitNoteId: id(700 + n), compensationDebitNoteId: id(600 + n) },
  },
});

describe('invoice terms from a contract', () => {
  it('2/10 net 30: due 30 days after issue, discount until day 10, 2 % off rounded half up', () => {
    const { events } = run([issue('2026-03-05', '1234.56', contract({ earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 } }))]);
    expect(events[0]).toMatchObject({
      type: 'InvoiceIssued',
      data: {
        dueDate: '2026-04-04',
        contractId: CONTRACT,
        // 2 % of 1,234.56 = 24.6912 → 24.69; 1,234.56 − 24.69 = 1,209.87
        earlyPaymentDiscount: { basisPoints: 200, payBy: '2026-03-15', discountedAmount: eurJson('1209.87') },
      },
    });
    expect(events[1]).toMatchObject({ type: 'InvoiceTermsRecorded', data: { contractId: CONTRACT } });
  });

  it('end of month + 30: due 30 days after the last day of the issue month (February of a leap year)', () => {
    const { events } = run([issue('2028-02-10', '100.00', contract({ paymentTerms: { kind: 'end-of-month', daysAfter: 30 } }))]);
    expect(events[0]).toMatchObject({ data: { dueDate: '2028-03-30' } });
  });

  it('three instalments: the total split by shares to the cent, each with its due date, settled oldest first', () => {
    const terms = contract({
      paymentTerms: {
        kind: 'instalments',
        instalments: [
          { dueAfterDays: 30, shareBasisPoints: 3333 },
          { dueAfterDays: 60, shareBasisPoints: 3333 },
          { dueAfterDays: 90, shareBasisPoints: 3334 },
        ],
      },
    });
    const { events, state } = run([issue('2026-01-01', '1000.00', terms), pay(1, '400.00', '2026-02-05')]);
    expect(events[0]).toMatchObject({
      data: {
        dueDate: '2026-04-01',
        dueItems: [
          { sequence: 1, dueDate: '2026-01-31', amount: eurJson('333.30') },
          { sequence: 2, dueDate: '2026-03-02', amount: eurJson('333.30') },
          { sequence: 3, dueDate: '2026-04-01', amount: eurJson('333.40') },
        ],
      },
    });
    expect(dueItemPositions(issued(state)).map((item) => toJson(item.open).amountMinor)).toEqual(['0', '26660', '33340']);
  });
});

describe('late interest', () => {
  // 10,000.00 due 2028-02-10 at the reference rate + 9.00 points; the reference rate is 2.50 % until
  // 2028-02-29 and 2.00 % from 2028-03-01. 45 days late: 11–29 Feb (19 days, 2028 is a leap year: /366) at
  // 11.50 % and 1–26 Mar (26 days) at 11.00 %:
  //   10,000.00 × 11.50 % × 19/366 = 59.699453…
  //   10,000.00 × 11.00 % × 26/366 = 78.142076…
  //   Σ = 137.841530… → 137.84 (rounded half up once, at the charge)
  const rule = contract({ lateInterest: { kind: 'reference-plus-margin', marginBasisPoints: 900 } });
  const reference = (day: string) => (day < '2028-03-01' ? 250 : 200);
  const charge = (n: number, on: string): InvoiceCommand => ({
    type: 'ChargeLateInterest',
    data: { debitNoteId: id(500 + n), compensationDebitNoteId: id(400 + n), issueDate: date(on), dueDate: date(on) },
  });

  it('45 days overdue across 29 February and a rate change equals the hand-computed 137.84', () => {
    const { state, events } = run([
      issue('2028-01-11', '10000.00', rule),
      ...accrueDays('2028-01-11', '2028-03-26', reference),
      charge(1, '2028-03-26'),
    ]);
    expect(events.filter((e) => e.type === 'LateInterestAccrued')).toHaveLength(45);
    expect(events.at(-1)).toMatchObject({
      type: 'DebitNoteIssued',
      data: {
        kind: 'late-interest',
        amount: eurJson('137.84'),
        lateInterest: { accruedFrom: '2028-02-11', accruedThrough: '2028-03-26', exactMinor: '13784.153005' },
      },
    });
    expect(balanceOf(state)?.open).toEqual(eur('10137.84'));
  });

  it('charged monthly, the debit notes add up to the exact total rounded once (59.70 + 78.14 = 137.84)', () => {
    const { events } = run([
      issue('2028-01-11', '10000.00', rule),
      ...accrueDays('2028-01-11', '2028-02-29', reference),
      charge(1, '2028-02-29'),
      ...accrueDays('2028-03-01', '2028-03-26', reference),
      charge(2, '2028-03-26'),
    ]);
    const notes = events
      .filter((e) => e.type === 'DebitNoteIssued')
      .map((e) => (e.data as { amount: { amountMinor: string } }).amount.amountMinor);
    expect(notes).toEqual(['5970', '7814']);
  });

  it('survives the payment of the principal: the interest stays open, and accrual stops', () => {
    const { state, events } = run([
      issue('2028-01-11', '10000.00', rule),
      ...accrueDays('2028-01-11', '2028-03-26', reference),
      pay(1, '10000.00', '2028-03-27'),
      ...accrueDays('2028-03-27', '2028-03-31', reference),
      charge(1, '2028-03-31'),
    ]);
    expect(events.filter((e) => e.type === 'LateInterestAccrued')).toHaveLength(45);
    expect(balanceOf(state)?.open).toEqual(eur('137.84'));
  });

  it("'on-settlement': the payment that settles the principal charges the interest (and the fixed compensation once)", () => {
    const terms = contract({ ...rule, interestCharging: 'on-settlement', fixedCompensation: eur('40.00') });
    const { state, events } = run([
      issue('2028-01-11', '10000.00', terms),
      ...accrueDays('2028-01-11', '2028-03-26', reference),
      pay(1, '10000.00', '2028-03-27'),
    ]);
    expect(events.slice(-2).map((e) => [e.type, (e.data as { kind?: string }).kind])).toEqual([
      ['DebitNoteIssued', 'late-interest'],
      ['DebitNoteIssued', 'fixed-compensation'],
    ]);
    expect(balanceOf(state)?.open).toEqual(eur('177.84'));
  });

  it('rounds half up only at a charge: half a cent accrued charges a cent', () => {
    expect(interestToCharge(INTEREST_DENOMINATOR / 2n, 0n)).toBe(1n);
    expect(interestToCharge(INTEREST_DENOMINATOR / 2n - 1n, 0n)).toBe(0n);
  });
});

describe('cancellation, disputes and write-off', () => {
  const base = [issue('2026-01-01', '1000.00', contract())];

  it('a partly paid invoice cannot be cancelled; an untouched one leaves open AR whole', () => {
    given(decider, run(base).events)
      .when({ type: 'CancelInvoice', data: { reason: 'x', cancelledOn: date('2026-01-02') } })
      .then([
        {
          type: 'InvoiceCancelled',
          data: { invoiceId: INVOICE, customerId: CUSTOMER, amount: eurJson('1000.00'), cancelledOn: '2026-01-02', reason: 'x' },
        },
      ]);
    given(decider, run([...base, pay(1, '1.00', '2026-01-02')]).events)
      .when({ type: 'CancelInvoice', data: { reason: 'x', cancelledOn: date('2026-01-02') } })
      .thenThrows(InvoiceNotCancellableError);
  });

  it('a dispute on 40 %: accepted, the credit note comes in the same decision; never more than is open', () => {
    const raise: InvoiceCommand = {
      type: 'RaiseDispute',
      data: {
        disputeId: id(1),
        amount: eur('400.00'),
        reasonCode: 'quality',
        note: 'leaks',
        evidenceRefs: [],
        raisedOn: date('2026-01-05'),
        raisedByRole: 'sales',
      },
    };
    const { events } = run([
      ...base,
      raise,
      {
        type: 'ResolveDispute',
        data: {
          disputeId: id(1),
          outcome: 'accepted',
          acceptedAmount: null,
          creditNoteId: id(2),
          creditNoteNumber: 'CN-1',
          resolvedOn: date('2026-01-15'),
          note: 'ok',
        },
      },
    ]);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['CreditNoteIssued', 'DisputeResolved']);
    expect(events.at(-1)).toMatchObject({ data: { acceptedAmount: eurJson('400.00'), durationDays: 10 } });
    given(decider, run([...base, raise]).events)
      .when({ ...raise, data: { ...raise.data, disputeId: id(3), amount: eur('600.01') } } as InvoiceCommand)
      .thenThrows(AmountExceedsOpenError);
  });

  it('write-off: finance approves, then legal signs off; the same subject cannot do both; cash after it is a recovery', () => {
    const steps: InvoiceCommand[] = [
      ...base,
      pay(9, '200.00', '2026-05-01'),
      {
        type: 'RequestWriteOff',
        data: { writeOffId: id(1), amount: null, reason: 'insolvent', requestedOn: date('2026-06-01'), requestedBy: 'carl' },
      },
    ];
    given(decider, run(steps).events)
      .when({ type: 'SignOffWriteOff', data: { writeOffId: id(1), signedOffOn: date('2026-06-02'), signedOffBy: 'lena' } })
      .thenThrows(WriteOffStepError);
    const approved = [
      ...steps,
      { type: 'ApproveWriteOff', data: { writeOffId: id(1), approvedOn: date('2026-06-02'), approvedBy: 'fay' } } as InvoiceCommand,
    ];
    given(decider, run(approved).events)
      .when({ type: 'SignOffWriteOff', data: { writeOffId: id(1), signedOffOn: date('2026-06-03'), signedOffBy: 'fay' } })
      .thenThrows(SameApproverError);
    const { state, events } = run([
      ...approved,
      { type: 'SignOffWriteOff', data: { writeOffId: id(1), signedOffOn: date('2026-06-03'), signedOffBy: 'lena' } },
      pay(1, '100.00', '2026-09-01'),
    ]);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['PaymentAllocationRecorded', 'WriteOffRecovered']);
    expect(balanceOf(state)?.open).toEqual(eur('0.00'));
    expect(issued(state).writtenOff).toEqual(eur('700.00'));
    expect(issued(state).recovered).toEqual(eur('100.00'));
  });
});
