import { dataOf, EventContractViolationError, validated } from './contract-violation';
import type { EventEnvelope } from './envelope';
import { CreditNoteIssued, InvoicingEvents } from './events';
import { CUSTOMER, samples } from './events/testing/samples';

const envelope = (data: unknown, schemaVersion = CreditNoteIssued.schemaVersion): EventEnvelope => ({
  eventId: 'e0000000-0000-4000-8000-000000000001',
  eventType: CreditNoteIssued.type,
  schemaVersion,
  streamId: 'invoice-1',
  streamVersion: 2,
  customerId: CUSTOMER,
  occurredAt: '2026-01-05T09:00:00.000Z',
  recordedAt: '2026-01-05T09:00:00.000Z',
  correlationId: 'c-1',
  causationId: null,
  actor: 'user:1',
  data,
});

function thrownBy(run: () => unknown): EventContractViolationError {
  try {
    run();
  } catch (error) {
    if (error instanceof EventContractViolationError) return error;
    throw error;
  }
  throw new Error('expected an EventContractViolationError');
}

describe('dataOf (a consumed event)', () => {
  it('answers the data of an event that keeps its contract', () => {
    expect(dataOf(CreditNoteIssued, envelope(samples.CreditNoteIssued))).toEqual(samples.CreditNoteIssued);
  });

  it('refuses an event that breaks its contract, naming the event and every problem (the message is dead-lettered)', () => {
    const error = thrownBy(() => dataOf(CreditNoteIssued, envelope({ ...samples.CreditNoteIssued, reason: '' })));
    expect(error.eventType).toBe('CreditNoteIssued');
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.message).toMatch(/^CreditNoteIssued e0000000-0000-4000-8000-000000000001 breaks its contract: /);
  });

  it('refuses a schema version other than the one it knows, rather than judging it by the wrong rules', () => {
    const error = thrownBy(() => dataOf(CreditNoteIssued, envelope(samples.CreditNoteIssued, CreditNoteIssued.schemaVersion + 1)));
    expect(error.problems).toEqual([
      `schema version ${CreditNoteIssued.schemaVersion + 1} is not supported (expected ${CreditNoteIssued.schemaVersion})`,
    ]);
  });
});

describe('validated (decided events)', () => {
  const decided = [{ type: 'CreditNoteIssued' as const, data: samples.CreditNoteIssued }];

  it('lets through events that keep their contracts', () => {
    expect(validated(InvoicingEvents, decided)).toBe(decided);
  });

  it('refuses a decided event its contract would not accept, before anything is stored', () => {
    const error = thrownBy(() =>
      validated(InvoicingEvents, [{ type: 'CreditNoteIssued', data: { ...samples.CreditNoteIssued, reason: ' ' } }]),
    );
    expect(error.message).toMatch(/^the command would record an invalid CreditNoteIssued: /);
  });

  it('refuses an event type no contract declares, checks a private event by its own rule, and skips one marked private', () => {
    expect(thrownBy(() => validated({}, decided)).problems).toEqual(['no contract declares this event type']);
    expect(thrownBy(() => validated({ CreditNoteIssued: () => ['too early'] }, decided)).problems).toEqual(['too early']);
    expect(validated({ CreditNoteIssued: null }, decided)).toBe(decided);
  });
});
