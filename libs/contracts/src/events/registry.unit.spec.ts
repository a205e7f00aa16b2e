import type { EventEnvelope } from '../envelope';
import { Topics } from '../topics';
import { CalendarEvents } from './calendar.events';
import { CollectionsEvents } from './collections.events';
import { CreditEvents, type CustomerAccountEvent } from './credit.events';
import { InvoicingEvents } from './invoicing.events';
import { PaymentsEvents } from './payments.events';
import { ProjectionChangeEvents } from './projections.events';
import { EventContractViolationError } from '../contract-violation';
import {
  eventRegistry,
  isArcEventType,
  parseEvent,
  schemaVersionsOf,
  validateEventData,
  type ArcEventEnvelope,
  type ArcEventType,
} from './registry';
import { RiskEvents } from './risk.events';
import { CUSTOMER, samples } from './testing/samples';

const types = Object.keys(eventRegistry) as ArcEventType[];

function envelopeOf(eventType: string, data: unknown, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    eventId: '7f3c2a1e-4b5d-4c6e-8f90-000000000001',
    eventType,
    schemaVersion: 1,
    streamId: 'invoice-7f3c2a1e',
    streamVersion: 1,
    customerId: CUSTOMER,
    occurredAt: '2026-01-15T09:00:00.000Z',
    recordedAt: '2026-01-15T09:00:00.100Z',
    correlationId: 'corr-1',
    causationId: null,
    actor: 'user:finance-1',
    data: data as Record<string, unknown>,
    ...overrides,
  };
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EventContractViolationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('event registry', () => {
  it('registers every event the walking skeleton needs', () => {
    expect(types.sort()).toEqual(
      [
        'AlertEscalated',
        'AlertRaised',
        'AlertResolved',
        'RiskCreditHoldReleaseRequested',
        'RiskCreditHoldRequested',
        'BusinessDayClosed',
        'CollectionCaseClosed',
        'CollectionCaseOpened',
        'CollectionsCreditHoldReleaseRequested',
        'CollectionsCreditHoldRequested',
        'DunningStepExecuted',
        'PaymentArrangementBroken',
        'WriteOffRecommended',
        'CreditCheckFailed',
        'CreditCheckPassed',
        'CreditHoldPlaced',
        'CreditHoldReleased',
        'CreditNoteIssued',
        'CreditPolicySet',
        'CreditReservationConsumed',
        'CreditReservationReleased',
        'CustomerAgingChanged',
        'CustomerExposureChanged',
        'CustomerPaymentBehaviourChanged',
        'CustomerRegistered',
        'InvoiceIssued',
        'InvoiceOverpaid',
        'InvoiceCancelled',
        'DebitNoteIssued',
        'DisputeRaised',
        'DisputeResolved',
        'WriteOffRequested',
        'WriteOffApproved',
        'WriteOffRejected',
        'InvoiceWrittenOff',
        'WriteOffRecovered',
        'StatementIssued',
        'StatementConfirmed',
        'StatementObjected',
        'PaymentAllocated',
        'PaymentAllocationReduced',
        'PaymentLeftUnapplied',
        'PaymentReceived',
        'PaymentDiscountTaken',
        'PaymentDiscountWithdrawn',
        'ShortPaymentRecorded',
        'PaymentRefunded',
        'PaymentReversed',
        'CustomerPaymentSettingsSet',
        'PayerAccountMapped',
        'BankStatementImported',
        'SuspenseReceiptRecorded',
        'SuspenseReceiptAssigned',
        'PortfolioKpisChanged',
        'ApprovalMatrixSet',
        'CreditEvidenceAdded',
        'CreditFileContactsSet',
        'CreditGroupDefined',
        'CreditGroupLimitSet',
        'CreditGroupMemberAdded',
        'CreditGroupReservationMade',
        'CreditGroupReservationReleased',
        'CreditInsuranceCoverSet',
        'CreditLimitApprovalGiven',
        'CreditLimitRequestApproved',
        'CreditLimitRequestRejected',
        'CreditLimitRequested',
        'CreditToleranceSet',
        'CustomerAssessed',
        'CustomerJoinedCreditGroup',
        'CustomerReclassified',
        'FxRateRecorded',
        'ScoringModelPublished',
        'TemporaryCreditLimitExpired',
      ].sort(),
    );
  });

  it.each([
    [CreditEvents, Topics.credit],
    [InvoicingEvents, Topics.invoicing],
    [PaymentsEvents, Topics.payments],
    [CollectionsEvents, Topics.collections],
    [RiskEvents, Topics.risk],
    [ProjectionChangeEvents, Topics.projectionChanges],
    [CalendarEvents, Topics.calendar],
  ])("publishes each context's events on its own topic (%#)", (contracts, topic) => {
    for (const [type, contract] of Object.entries(contracts)) {
      expect([type, contract.type, contract.topic]).toEqual([type, type, topic]);
      expect(eventRegistry[type as ArcEventType]).toBe(contract);
    }
  });

  it('names every event in PascalCase with a schema version of at least 1', () => {
    for (const type of types) {
      expect(type).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(Number.isSafeInteger(eventRegistry[type].schemaVersion) && eventRegistry[type].schemaVersion >= 1).toBe(true);
    }
  });

  it.each(types)('accepts a valid %s', (type) => {
    expect(eventRegistry[type].validate(samples[type])).toEqual({ ok: true, value: samples[type] });
  });

  it.each(types)('refuses a %s that is not an object or has an unknown field', (type) => {
    expect(eventRegistry[type].validate(null)).toEqual({ ok: false, problems: ['data must be a JSON object (got null)'] });
    expect(eventRegistry[type].validate({ ...samples[type], surprise: 1 })).toEqual({
      ok: false,
      problems: ['surprise is not a known field'],
    });
  });

  it.each(types)('refuses a %s with any one field missing, naming it', (type) => {
    for (const field of Object.keys(samples[type])) {
      const { [field]: _removed, ...rest } = samples[type] as unknown as Record<string, unknown>;
      expect(eventRegistry[type].validate(rest)).toEqual({ ok: false, problems: [`${field} is missing`] });
    }
  });

  it('refuses an unknown type, and versions it cannot read without upcasting or an update', () => {
    expect(validateEventData('InvoicePrinted', 1, {})).toEqual({ ok: false, problems: ['InvoicePrinted is not an ARC event type'] });
    expect(validateEventData('InvoiceIssued', 2, samples.InvoiceIssued)).toEqual({
      ok: false,
      problems: ['schema version 2 of InvoiceIssued is newer than this consumer knows (1): deploy the updated contracts'],
    });
    expect(validateEventData('InvoiceIssued', 0, samples.InvoiceIssued)).toEqual({
      ok: false,
      problems: ['schema version 0 of InvoiceIssued is older than the current 1: upcast it before validating'],
    });
    expect(isArcEventType('toString')).toBe(false);
  });

  it('gives deciders the schema version of each of their event types', () => {
    expect(schemaVersionsOf(InvoicingEvents)).toEqual({
      InvoiceIssued: 1,
      CreditNoteIssued: 1,
      InvoiceOverpaid: 1,
      InvoiceCancelled: 1,
      DebitNoteIssued: 1,
      DisputeRaised: 1,
      DisputeResolved: 1,
      WriteOffRequested: 1,
      WriteOffApproved: 1,
      WriteOffRejected: 1,
      InvoiceWrittenOff: 1,
      WriteOffRecovered: 1,
      StatementIssued: 1,
      StatementConfirmed: 1,
      StatementObjected: 1,
    });
  });
});

describe("parsing an envelope's event", () => {
  it('returns the envelope narrowed by its event type', () => {
    const event: ArcEventEnvelope = parseEvent(envelopeOf('InvoiceIssued', samples.InvoiceIssued), Topics.invoicing);
    if (event.eventType !== 'InvoiceIssued') throw new Error('narrowing failed');
    expect(event.data.total.amountMinor).toBe('6000000');
  });

  it('throws every problem of the data, with the event type and version', () => {
    const bad = { ...samples.PaymentReceived, amount: { amountMinor: '10.00', currency: 'EUR' }, method: 'bitcoin' };
    expect(() => parseEvent(envelopeOf('PaymentReceived', bad))).toThrow(EventContractViolationError);
    expect(problemsOf(() => parseEvent(envelopeOf('PaymentReceived', bad)))).toEqual([
      'amount.amountMinor must be an integer of minor units as a string ("-150", "6000000") (got "10.00")',
      "method must be one of 'bank-transfer', 'cheque', 'cash', 'card', 'e-payment' (got \"bitcoin\")",
    ]);
    expect(() => parseEvent(envelopeOf('PaymentReceived', bad))).toThrow(/^invalid PaymentReceived v1: /);
  });

  it('refuses an event read from a topic it does not belong to', () => {
    expect(problemsOf(() => parseEvent(envelopeOf('InvoiceIssued', samples.InvoiceIssued), Topics.payments))).toEqual([
      'InvoiceIssued belongs on arc.invoicing.events, not arc.payments.events',
    ]);
  });

  it('refuses data about another customer than the Kafka key the envelope carries', () => {
    const envelope = envelopeOf('InvoiceIssued', samples.InvoiceIssued, { customerId: 'c0ffee00-0000-4000-8000-000000000999' });
    expect(problemsOf(() => parseEvent(envelope))).toEqual([
      `data.customerId ${CUSTOMER} differs from the envelope's customerId c0ffee00-0000-4000-8000-000000000999`,
    ]);
  });

  it('refuses an event type no contract declares', () => {
    expect(problemsOf(() => parseEvent(envelopeOf('InvoicePrinted', {}), Topics.invoicing))).toEqual([
      'InvoicePrinted is not an ARC event type',
    ]);
  });

  it('types per-topic unions so deciders can switch over them exhaustively', () => {
    const summarise = (event: CustomerAccountEvent): string => {
      switch (event.type) {
        case 'CustomerRegistered':
          return event.data.legalName;
        case 'CreditPolicySet':
          return event.data.creditLimit.amountMinor;
        case 'CreditCheckPassed':
        case 'CreditCheckFailed':
        case 'CreditReservationReleased':
        case 'CreditReservationConsumed':
        case 'CreditHoldPlaced':
        case 'CreditHoldReleased':
        case 'CreditFileContactsSet':
        case 'CreditEvidenceAdded':
        case 'CustomerAssessed':
        case 'CustomerReclassified':
        case 'CreditLimitRequested':
        case 'CreditLimitApprovalGiven':
        case 'CreditLimitRequestApproved':
        case 'CreditLimitRequestRejected':
        case 'TemporaryCreditLimitExpired':
        case 'CreditToleranceSet':
        case 'CreditInsuranceCoverSet':
        case 'CustomerJoinedCreditGroup':
          return event.type;
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    };
    expect(summarise({ type: 'CreditPolicySet', data: samples.CreditPolicySet })).toBe('10000000');
    // @ts-expect-error an event type that does not exist is a compile error
    const unknown: ArcEventType = 'InvoicePrinted';
    expect(isArcEventType(unknown)).toBe(false);
  });
});
