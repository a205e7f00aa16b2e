import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { CREDIT, type CreditConfig } from './config';

type Json = Record<string, unknown>;

/** Collections' credit-hold step reaching the credit service over Kafka (arc.collections.events). */
describe("credit places and lifts collections' holds (real Kafka and PostgreSQL)", () => {
  jest.setTimeout(120_000);
  const suite = useServiceUnderTest<CreditConfig>({
    definition: CREDIT,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'credit_collections_holds',
  });
  const { config, producer } = suite;

  const registered = async (): Promise<string> => {
    const customerId = randomUUID();
    const body = {
      customerId,
      legalName: 'Acme',
      registrationNumber: 'HRB 2',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'EU',
    };
    expect((await suite.call('POST', '/v1/customers', { body, roles: ['sales'] })).status).toBe(201);
    return customerId;
  };
  /** Each customer's dunning stream versions, as collections' relay numbers them. */
  const versions: Record<string, number> = {};
  const collectionsSays = async (eventType: string, customerId: string, data: Json) => {
    const eventId = randomUUID();
    const envelope: EventEnvelope = {
      eventId,
      eventType,
      schemaVersion: 1,
      streamId: `dunning-${customerId}`,
      streamVersion: (versions[customerId] = (versions[customerId] ?? 0) + 1),
      customerId,
      occurredAt: '2026-04-15T23:00:00.000Z',
      recordedAt: '2026-04-15T23:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'system:collections',
      data: { customerId, ...data },
    };
    await producer.send({ topic: config.topics.collections, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
  };
  const hold = async (customerId: string) =>
    (await suite.call('GET', `/v1/customers/${customerId}`, { roles: ['collections'] })).body.hold as Json | null;

  it("puts the customer on hold at collections' request and lifts it when collections says nothing is overdue", async () => {
    const customerId = await registered();
    await collectionsSays('CollectionsCreditHoldRequested', customerId, { requestedOn: '2026-04-15', reason: 'dunning step credit-hold' });
    await waitFor(async () => (await hold(customerId))?.source === 'collections', { description: 'the collections hold' });
    expect(await hold(customerId)).toEqual({ source: 'collections', reason: 'dunning step credit-hold' });
    await collectionsSays('CollectionsCreditHoldReleaseRequested', customerId, {
      requestedOn: '2026-04-21',
      reason: 'nothing is overdue any more',
    });
    await waitFor(async () => (await hold(customerId)) === null, { description: 'the hold lifted' });
  });

  it('never lifts a hold someone else placed', async () => {
    const customerId = await registered();
    const manual = { source: 'manual', reason: 'fraud check' };
    expect((await suite.call('POST', `/v1/customers/${customerId}/holds`, { body: manual, roles: ['finance'] })).status).toBe(201);
    await collectionsSays('CollectionsCreditHoldReleaseRequested', customerId, {
      requestedOn: '2026-04-21',
      reason: 'nothing is overdue any more',
    });
    // A later request on the same partition shows the release was processed before it.
    const other = await registered();
    await collectionsSays('CollectionsCreditHoldRequested', other, { requestedOn: '2026-04-21', reason: 'marker' });
    await waitFor(async () => (await hold(other)) !== null, { description: 'the marker hold' });
    expect(await hold(customerId)).toEqual(manual);
  });
});
