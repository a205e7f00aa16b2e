import { EnvelopeValidationError, decodeEnvelope, parseEnvelope, type EventEnvelope } from './envelope';
import { deadLetterTopic, Topics } from './topics';

const valid: EventEnvelope = {
  eventId: '7f3c2a1e-4b5d-4c6e-8f90-123456789abc',
  eventType: 'InvoiceIssued',
  schemaVersion: 1,
  streamId: 'invoice-7f3c2a1e',
  streamVersion: 1,
  customerId: 'c0ffee00-0000-4000-8000-000000000001',
  occurredAt: '2026-01-01T00:00:00.000Z',
  recordedAt: '2026-01-01T00:00:00.123Z',
  correlationId: 'corr-1',
  causationId: null,
  actor: 'user:alice',
  data: { amountMinor: '6000000', currency: 'EUR' },
};

function problemsOf(value: unknown): string[] {
  try {
    parseEnvelope(value);
  } catch (error) {
    if (error instanceof EnvelopeValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('event envelope', () => {
  it('accepts a complete envelope and returns it unchanged', () => {
    expect(parseEnvelope(valid)).toEqual(valid);
  });

  it('round-trips through the Kafka message encoding', () => {
    expect(decodeEnvelope(Buffer.from(JSON.stringify(valid)))).toEqual(valid);
  });

  it('names every missing field', () => {
    const { eventId: _eventId, customerId: _customerId, ...rest } = valid;
    expect(problemsOf(rest)).toEqual(['eventId is missing', 'customerId is missing']);
  });

  it('refuses a stream version below 1 and a fractional schema version', () => {
    expect(problemsOf({ ...valid, streamVersion: 0, schemaVersion: 1.5 })).toEqual([
      'schemaVersion must be an integer >= 1',
      'streamVersion must be an integer >= 1',
    ]);
  });

  it('refuses money-like data that is not an object, and unknown fields', () => {
    expect(problemsOf({ ...valid, data: 12.5, extra: true })).toEqual(['data must be a JSON object', 'extra is not an envelope field']);
  });

  it('refuses an occurredAt that is not an instant', () => {
    expect(problemsOf({ ...valid, occurredAt: '2026-13-45' })).toEqual(['occurredAt must be an ISO 8601 instant']);
  });

  it('refuses a message value that is not JSON', () => {
    expect(() => decodeEnvelope(Buffer.from('not json'))).toThrow('the message value is not JSON');
    expect(() => decodeEnvelope(null)).toThrow('the message has no value');
  });

  it('parks failing messages on the topic name with a .dlq suffix', () => {
    expect(deadLetterTopic(Topics.invoicing)).toBe('arc.invoicing.events.dlq');
  });
});
