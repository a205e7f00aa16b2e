import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { messagesOnTopic, testKafka, waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { INVOICING, type InvoicingConfig } from './config';
import { CALENDAR_KEY } from './domain/business-calendar.decider';

/** Reads a topic from the beginning until `done` holds for what was read, then on to the topic's end, to catch extras. */
async function readTopic(
  kafka: ReturnType<typeof testKafka>,
  topic: string,
  done: (seen: EventEnvelope[]) => boolean,
): Promise<{ key: string | undefined; envelope: EventEnvelope }[]> {
  const seen: { key: string | undefined; envelope: EventEnvelope }[] = [];
  const consumer = kafka.consumer({ groupId: `calendar-reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key?.toString(), envelope: JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope });
      },
    });
    await waitFor(() => done(seen.map((s) => s.envelope)), { description: `the expected messages on ${topic}` });
    const onTopic = await messagesOnTopic(kafka, topic);
    await waitFor(() => seen.length >= onTopic, { description: `all ${onTopic} messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('the business calendar (invoicing: HTTP, event store and routed relay on real servers)', () => {
  const suite = useServiceUnderTest<InvoicingConfig>({
    definition: INVOICING,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'invoicing_calendar',
  });
  const { config, kafka, call, eventCount } = suite;

  it('reads an unstarted calendar, refuses to close before the start (409), and refuses sales (403) appending nothing', async () => {
    expect((await call('GET', '/v1/calendar', { roles: ['sales'] })).body).toEqual({
      started: false,
      startedOn: null,
      openDay: null,
      lastClosedDay: null,
      businessDate: null,
    });
    const notStarted = await call('POST', '/v1/calendar/close-days', { body: { until: '2026-01-05' }, roles: ['finance'] });
    expect(notStarted.status).toBe(409);
    expect(notStarted.body).toMatchObject({ code: 'CALENDAR_NOT_STARTED' });
    expect((await call('POST', '/v1/calendar/start', { body: { date: '2026-01-01' }, roles: ['sales'] })).status).toBe(403);
    expect(
      (await call('POST', '/v1/calendar/close-days', { body: { until: '2026-01-05' }, roles: ['sales', 'collections', 'risk', 'legal'] }))
        .status,
    ).toBe(403);
    expect((await call('POST', '/v1/calendar/close-days', { body: { until: '2026-02-30' }, roles: ['finance'] })).status).toBe(400);
    expect(await eventCount()).toBe(0);
  });

  it('starts at 2026-01-01, closes the days until 2026-01-05, and a repeat is a no-op', async () => {
    const started = await call('POST', '/v1/calendar/start', { body: { date: '2026-01-01' }, roles: ['finance'], key: randomUUID() });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({
      started: true,
      startedOn: '2026-01-01',
      openDay: '2026-01-01',
      lastClosedDay: null,
      businessDate: '2026-01-01',
    });
    expect((await call('POST', '/v1/calendar/start', { body: { date: '2026-01-01' }, roles: ['admin'] })).status).toBe(201);
    const other = await call('POST', '/v1/calendar/start', { body: { date: '2026-03-01' }, roles: ['finance'] });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'CALENDAR_ALREADY_STARTED' });

    const key = randomUUID();
    const closed = await call('POST', '/v1/calendar/close-days', { body: { until: '2026-01-05' }, roles: ['finance'], key });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({
      started: true,
      startedOn: '2026-01-01',
      openDay: '2026-01-06',
      lastClosedDay: '2026-01-05',
      businessDate: '2026-01-06',
      closedDays: ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'],
    });
    const eventsAfterClose = await eventCount();
    expect(eventsAfterClose).toBe(6); // the start and five closes

    // The same key: the stored answer. Another request up to the same day (or an earlier one): nothing closes.
    const replay = await call('POST', '/v1/calendar/close-days', { body: { until: '2026-01-05' }, roles: ['finance'], key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const again = await call('POST', '/v1/calendar/close-days', { body: { until: '2026-01-05' }, roles: ['admin'] });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ openDay: '2026-01-06', lastClosedDay: '2026-01-05', closedDays: [] });
    expect((await call('POST', '/v1/calendar/close-days', { body: { until: '2026-01-03' }, roles: ['finance'] })).body).toMatchObject({
      closedDays: [],
    });
    expect(await eventCount()).toBe(eventsAfterClose);

    for (const role of ['finance', 'sales', 'collections', 'legal', 'risk'] as const) {
      const read = await call('GET', '/v1/calendar', { roles: [role] });
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        started: true,
        startedOn: '2026-01-01',
        openDay: '2026-01-06',
        lastClosedDay: '2026-01-05',
        businessDate: '2026-01-06',
      });
    }
  });

  it('publishes BusinessDayClosed for each day, in order, on the calendar topic only', async () => {
    const onCalendar = await readTopic(kafka, config.topics.calendar, (seen) => seen.length >= 5);
    expect(onCalendar.map((m) => m.envelope.eventType)).toEqual(Array(5).fill('BusinessDayClosed'));
    expect(onCalendar.map((m) => m.envelope.data)).toEqual(
      ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'].map((date) => ({ date })),
    );
    expect(onCalendar.map((m) => m.envelope.streamVersion)).toEqual([2, 3, 4, 5, 6]);
    for (const { key, envelope } of onCalendar) {
      expect(key).toBe(CALENDAR_KEY);
      expect(envelope).toMatchObject({ streamId: 'business-calendar', customerId: CALENDAR_KEY, schemaVersion: 1, actor: 'user:alice' });
    }

    // No calendar event (neither the start nor a close) reaches the invoicing topic (InvoiceIssued still does: invoicing.int.spec.ts).
    const onInvoicing = await readTopic(kafka, config.topics.invoicing, () => true);
    expect(onInvoicing).toEqual([]);
  });
});
