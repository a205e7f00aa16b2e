import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import { CustomerAgingChanged, type CustomerAgingChangedData, type EventEnvelope } from '@arc/contracts';
import { expectEveryRouteGuarded, useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { COLLECTIONS, type CollectionsConfig } from './config';
import { TEST_OUTBOX } from './testing/test-config';
import { applyCaseEvents, CASES_TABLE } from './views/cases.view';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('the collections service (aging consumer, event store, relay and HTTP on real servers)', () => {
  const suite = useServiceUnderTest<CollectionsConfig>({
    definition: COLLECTIONS,
    module: (config, options) => AppModule.forRoot(config, options),
    extra: { outbox: TEST_OUTBOX },
  });
  const { config, db, kafka, producer, call } = suite;
  /** The next stream version of each customer's projection-changes stream (as projections publishes them). */
  const versions = new Map<string, number>();

  const streamEvents = async (customerId: string): Promise<string[]> => {
    const { rows } = await db.pool.query<{ event_type: string }>(
      'SELECT event_type FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [`collection-${customerId}`],
    );
    return rows.map((row) => row.event_type);
  };

  /** A valid CustomerAgingChanged: `overdue` all in the 1-30 bucket, plus 1,000.00 not yet due. */
  const aging = (customerId: string, overdueMinor: string, asOf: string, oldestDaysPastDue: number | null): CustomerAgingChangedData => {
    const overdue = BigInt(overdueMinor);
    const data: CustomerAgingChangedData = {
      customerId,
      asOf,
      currency: 'EUR',
      bucketSetId: 'standard',
      notYetDue: EUR('100000'),
      buckets: [
        { label: '1-30', amount: EUR(overdueMinor) },
        { label: '31-60', amount: EUR('0') },
      ],
      overdue: EUR(overdueMinor),
      totalOpen: EUR((overdue + 100000n).toString()),
      oldestDaysPastDue,
    };
    const valid = CustomerAgingChanged.validate(data);
    if (!valid.ok) throw new Error(`test data breaks the contract: ${valid.problems.join('; ')}`);
    return data;
  };

  const envelopeOf = (data: CustomerAgingChangedData): EventEnvelope<CustomerAgingChangedData> => {
    const streamVersion = (versions.get(data.customerId) ?? 0) + 1;
    versions.set(data.customerId, streamVersion);
    return {
      eventId: randomUUID(),
      eventType: CustomerAgingChanged.type,
      schemaVersion: CustomerAgingChanged.schemaVersion,
      streamId: `projection-changes-${data.customerId}`,
      streamVersion,
      customerId: data.customerId,
      occurredAt: `${data.asOf}T23:00:00.000Z`,
      recordedAt: `${data.asOf}T23:00:00.000Z`,
      correlationId: randomUUID(),
      causationId: null,
      actor: 'system:projections',
      data,
    };
  };

  const produce = async (...envelopes: EventEnvelope[]): Promise<void> => {
    await producer.send({
      topic: config.topics.projectionChanges,
      messages: envelopes.map((envelope) => ({ key: envelope.customerId, value: JSON.stringify(envelope) })),
    });
  };

  const customerCase = (customerId: string, roles: Role[] = ['collections']) => call('GET', `/v1/cases/${customerId}`, { roles });

  /** Waits until the customer's current case matches `expected` (the view is as current as the consumer). */
  const waitForCase = async (customerId: string, expected: (current: Json) => boolean, description: string): Promise<Json> => {
    let current: Json = {};
    await waitFor(
      async () => {
        const response = await customerCase(customerId);
        if (response.status !== 200) return false;
        current = response.body.current as Json;
        return expected(current);
      },
      { description },
    );
    return current;
  };

  const openCasesOf = async (customerId: string): Promise<Json[]> => {
    const response = await call('GET', '/v1/cases?status=open', { roles: ['finance'] });
    expect(response.status).toBe(200);
    return (response.body.cases as Json[]).filter((c) => c.customerId === customerId);
  };

  const readCollectionsTopic = async (customerId: string, count: number): Promise<EventEnvelope[]> => {
    const consumer = kafka.consumer({ groupId: `collections-topic-reader-${randomUUID()}` });
    const seen: EventEnvelope[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: config.topics.collections, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
        },
      });
      await waitFor(() => seen.filter((e) => e.customerId === customerId).length >= count, {
        description: `${count} collections events of the customer`,
      });
    } finally {
      await consumer.disconnect();
    }
    return seen.filter((e) => e.customerId === customerId);
  };

  describe('access', () => {
    it('answers 401 without a token and 403 to the departments outside its roles on every route', async () => {
      await expectEveryRouteGuarded(suite.service);
    });

    it('documents the list-cases query (status, limit) in its OpenAPI document', async () => {
      const doc = await call('GET', '/openapi.json', { roles: [] });
      const parameters = ((doc.body.paths as Json)['/v1/cases'] as { get: { parameters: { name: string; in: string }[] } }).get.parameters;
      expect(
        parameters
          .filter((p) => p.in === 'query')
          .map((p) => p.name)
          .sort(),
      ).toEqual(['limit', 'status']);
    });

    it('lets collections, finance, risk and legal read', async () => {
      for (const role of ['collections', 'finance', 'risk', 'legal'] as Role[]) {
        expect((await call('GET', '/v1/cases?status=open', { roles: [role] })).status).toBe(200);
      }
    });

    it('answers 404 for a customer without a case and 400 to a bad status or id', async () => {
      expect((await customerCase(randomUUID())).status).toBe(404);
      expect((await call('GET', '/v1/cases?status=pending')).status).toBe(400);
      expect((await call('GET', '/v1/cases/not-a-uuid')).status).toBe(400);
    });
  });

  describe('the acceptance scenario: a customer 50,000.00 EUR overdue as of 2026-02-15', () => {
    const customerId = randomUUID();
    let caseId: string;

    it('opens one case, listed among the open cases', async () => {
      await produce(envelopeOf(aging(customerId, '5000000', '2026-02-15', 15)));
      const current = await waitForCase(customerId, (c) => c.status === 'open', 'the open case');
      expect(current).toMatchObject({
        customerId,
        status: 'open',
        openedOn: '2026-02-15',
        closedOn: null,
        openingOverdue: EUR('5000000'),
        overdue: EUR('5000000'),
        oldestDaysPastDue: 15,
      });
      caseId = String(current.caseId);
      expect(await openCasesOf(customerId)).toEqual([expect.objectContaining({ caseId, status: 'open' })]);
      expect(await streamEvents(customerId)).toEqual(['CollectionCaseOpened']);
    });

    it('publishes CollectionCaseOpened on the collections topic through the relay', async () => {
      const [opened] = await readCollectionsTopic(customerId, 1);
      expect(opened).toMatchObject({
        eventType: 'CollectionCaseOpened',
        streamId: `collection-${customerId}`,
        actor: 'system:collections',
        data: { caseId, customerId, openedOn: '2026-02-15', overdueAmount: EUR('5000000'), oldestDaysPastDue: 15 },
      });
    });

    it('keeps the one case open at 20,000.00 overdue, with the new figures', async () => {
      await produce(envelopeOf(aging(customerId, '2000000', '2026-02-16', 16)));
      const current = await waitForCase(customerId, (c) => (c.overdue as Json).amountMinor === '2000000', 'the new overdue figure');
      expect(current).toMatchObject({
        caseId,
        status: 'open',
        openingOverdue: EUR('5000000'),
        oldestDaysPastDue: 16,
        figuresAsOf: '2026-02-16',
      });
      expect(await openCasesOf(customerId)).toEqual([
        expect.objectContaining({ caseId, overdue: EUR('2000000'), oldestDaysPastDue: 16, figuresAsOf: '2026-02-16' }),
      ]);
      // The changed figures are recorded in the stream (the internal CollectionCaseReviewed), so the view is a fold of it.
      expect(await streamEvents(customerId)).toEqual(['CollectionCaseOpened', 'CollectionCaseReviewed']);
    });

    it('closes the case as overdue-cleared at 0 overdue and publishes CollectionCaseClosed', async () => {
      await produce(envelopeOf(aging(customerId, '0', '2026-02-20', null)));
      const current = await waitForCase(customerId, (c) => c.status === 'closed', 'the closed case');
      expect(current).toMatchObject({
        caseId,
        status: 'closed',
        closedOn: '2026-02-20',
        closeReason: 'overdue-cleared',
        overdue: EUR('0'),
        oldestDaysPastDue: null,
      });
      expect(await openCasesOf(customerId)).toEqual([]);
      const closed = await call('GET', '/v1/cases?status=closed', { roles: ['legal'] });
      expect((closed.body.cases as Json[]).filter((c) => c.customerId === customerId)).toEqual([expect.objectContaining({ caseId })]);
      expect(await streamEvents(customerId)).toEqual(['CollectionCaseOpened', 'CollectionCaseReviewed', 'CollectionCaseClosed']);
      // The internal CollectionCaseReviewed is stored, never published.
      const events = await readCollectionsTopic(customerId, 2);
      expect(events.map((e) => e.eventType)).toEqual(['CollectionCaseOpened', 'CollectionCaseClosed']);
      expect(events[1]).toMatchObject({ data: { caseId, customerId, closedOn: '2026-02-20', reason: 'overdue-cleared' } });
    });

    it('opens a new case with another id when money is overdue again', async () => {
      await produce(envelopeOf(aging(customerId, '300000', '2026-03-10', 5)));
      const current = await waitForCase(customerId, (c) => c.status === 'open', 'the second case');
      expect(current.caseId).not.toBe(caseId);
      const response = await customerCase(customerId, ['risk']);
      expect((response.body.cases as Json[]).map((c) => c.status)).toEqual(['open', 'closed']);
      expect(await streamEvents(customerId)).toEqual([
        'CollectionCaseOpened',
        'CollectionCaseReviewed',
        'CollectionCaseClosed',
        'CollectionCaseOpened',
      ]);
    });
  });

  describe('idempotency and ordering', () => {
    it('counts the same event delivered twice once', async () => {
      const customerId = randomUUID();
      const once = envelopeOf(aging(customerId, '5000000', '2026-02-15', 15));
      await produce(once, once);
      // A later figure marks how far the consumer got.
      await produce(envelopeOf(aging(customerId, '4000000', '2026-02-16', 16)));
      await waitForCase(customerId, (c) => (c.overdue as Json).amountMinor === '4000000', 'the later figure');
      expect(await streamEvents(customerId)).toEqual(['CollectionCaseOpened', 'CollectionCaseReviewed']);
      expect(await openCasesOf(customerId)).toHaveLength(1);
    });

    it('appends nothing when a review is re-run for the same aging event (a retry after the append, before the batch committed)', async () => {
      const customerId = randomUUID();
      const opening = envelopeOf(aging(customerId, '5000000', '2026-02-15', 15));
      await produce(opening, envelopeOf(aging(customerId, '0', '2026-02-15', null)));
      const closed = await waitForCase(customerId, (c) => c.status === 'closed', 'the closed case');
      // The opening event again, under a new stream version so it passes the transport's dedupe. Decided afresh
      // it would open a second case (same business date as the close); its command id makes it a no-op.
      const version = (versions.get(customerId) ?? 0) + 1;
      versions.set(customerId, version);
      await produce({ ...opening, streamVersion: version });
      await produce(envelopeOf(aging(customerId, '0', '2026-02-16', null)));
      const marker = randomUUID();
      await produce(envelopeOf(aging(marker, '100', '2026-02-16', 1)));
      await waitForCase(marker, (c) => c.status === 'open', 'the marker case');
      expect(await streamEvents(customerId)).toEqual(['CollectionCaseOpened', 'CollectionCaseClosed']);
      expect((await customerCase(customerId)).body.cases).toEqual([expect.objectContaining({ caseId: closed.caseId, status: 'closed' })]);
    });

    it('lets no late figure undo a newer decision', async () => {
      const customerId = randomUUID();
      await produce(envelopeOf(aging(customerId, '100000', '2026-02-15', 3)), envelopeOf(aging(customerId, '0', '2026-02-18', null)));
      await waitForCase(customerId, (c) => c.status === 'closed', 'the closed case');
      // An older business date arriving late: no new case, nothing appended.
      await produce(envelopeOf(aging(customerId, '100000', '2026-02-16', 4)));
      await produce(envelopeOf(aging(customerId, '0', '2026-02-19', null)));
      const marker = randomUUID();
      await produce(envelopeOf(aging(marker, '100', '2026-02-19', 1)));
      await waitForCase(marker, (c) => c.status === 'open', 'the marker case');
      expect(await streamEvents(customerId)).toEqual(['CollectionCaseOpened', 'CollectionCaseClosed']);
      expect((await customerCase(customerId)).body.cases).toHaveLength(1);
    });
  });

  describe('the cases view, a fold of the collection streams', () => {
    /** Produces a marker for a fresh customer and waits for its case: the consumer has handled everything produced before. */
    const drain = async (asOf: string): Promise<void> => {
      const marker = randomUUID();
      await produce(envelopeOf(aging(marker, '100', asOf, 1)));
      await waitForCase(marker, (c) => c.status === 'open', 'the marker case');
    };

    /** The same figures in US dollars. */
    const inUsd = (data: CustomerAgingChangedData): CustomerAgingChangedData => {
      const usd = (m: { amountMinor: string }) => ({ amountMinor: m.amountMinor, currency: 'USD' });
      const converted: CustomerAgingChangedData = {
        ...data,
        currency: 'USD',
        notYetDue: usd(data.notYetDue),
        buckets: data.buckets.map((b) => ({ ...b, amount: usd(b.amount) })),
        overdue: usd(data.overdue),
        totalOpen: usd(data.totalOpen),
      };
      const valid = CustomerAgingChanged.validate(converted);
      if (!valid.ok) throw new Error(`test data breaks the contract: ${valid.problems.join('; ')}`);
      return converted;
    };

    it('shows changed figures of an open case; the same figures again record nothing, a late or other-currency figure changes nothing', async () => {
      const customerId = randomUUID();
      await produce(envelopeOf(aging(customerId, '500000', '2026-05-04', 4)), envelopeOf(aging(customerId, '450000', '2026-05-06', 6)));
      await waitForCase(customerId, (c) => (c.overdue as Json).amountMinor === '450000', 'the changed figure');
      // The same figures on a later date, an older figure arriving late, and a figure in another currency.
      await produce(
        envelopeOf(aging(customerId, '450000', '2026-05-07', 6)),
        envelopeOf(aging(customerId, '300000', '2026-05-05', 5)),
        envelopeOf(inUsd(aging(customerId, '200000', '2026-05-08', 8))),
      );
      await drain('2026-05-08');
      const expected = {
        status: 'open',
        openedOn: '2026-05-04',
        openingOverdue: EUR('500000'),
        overdue: EUR('450000'),
        oldestDaysPastDue: 6,
        figuresAsOf: '2026-05-06',
      };
      expect(await openCasesOf(customerId)).toEqual([expect.objectContaining(expected)]);
      expect((await customerCase(customerId)).body.current).toMatchObject(expected);
      expect(await streamEvents(customerId)).toEqual(['CollectionCaseOpened', 'CollectionCaseReviewed']);
    });

    it('is rebuilt from the stored events alone (truncate, then every event in global order, twice) with exactly the rows of the live view', async () => {
      await drain('2026-06-01');
      const before = await call('GET', '/v1/cases?limit=1000', { roles: ['finance'] });
      expect(before.status).toBe(200);
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        // Holds the consumer's view writes back until the rebuild is committed.
        await client.query(`LOCK TABLE ${CASES_TABLE} IN ACCESS EXCLUSIVE MODE`);
        const live = (await client.query(`SELECT * FROM ${CASES_TABLE} ORDER BY case_id`)).rows;
        expect(live.length).toBeGreaterThan(0);
        // Among them open cases whose figures were changed by reviews after the opening.
        expect(live.some((row) => row.status === 'open' && String(row.figures_as_of) !== String(row.opened_on))).toBe(true);
        const { rows: events } = await client.query<{ streamId: string; eventType: string; data: Record<string, unknown> }>(
          'SELECT stream_id AS "streamId", event_type AS "eventType", data FROM events ORDER BY global_position',
        );
        expect(events.map((e) => e.eventType)).toContain('CollectionCaseReviewed');
        await client.query(`TRUNCATE ${CASES_TABLE}`);
        await applyCaseEvents(client, events);
        expect((await client.query(`SELECT * FROM ${CASES_TABLE} ORDER BY case_id`)).rows).toEqual(live);
        // Idempotent: folding the same events again changes nothing.
        await applyCaseEvents(client, events);
        expect((await client.query(`SELECT * FROM ${CASES_TABLE} ORDER BY case_id`)).rows).toEqual(live);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
      const after = await call('GET', '/v1/cases?limit=1000', { roles: ['finance'] });
      expect(after.body).toEqual(before.body);
    });
  });

  it('is ready', async () => {
    expect((await call('GET', '/health/ready', { roles: null })).status).toBe(200);
  });
});
