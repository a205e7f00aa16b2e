import { randomUUID } from 'node:crypto';
import { createPostgresEventStore, migrateEventStore, withTransaction, type PostgresEventStore } from '@arc/event-store';
import { createTestDatabase, type TestDatabase } from '@arc/testing';
import { Commands } from './commands';
import { availableMinor, creditLineDecider, type CreditLineCommand } from './test-support/credit-line.decider';

const reserve = (reservationId: string, amountMinor: string): CreditLineCommand => ({
  type: 'ReserveCredit',
  data: { reservationId, amountMinor, reservedAt: '2025-03-02T10:00:00Z' },
});

/** A command route's shape: read the stream for the command (`state` with `forCommand`), then decide on it. */
describe('Commands: a command decides on the state its transaction read for it', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /** Another process's writer (its own pool). */
  let other: PostgresEventStore;
  let commands: Commands;
  let reads: number;

  beforeAll(async () => {
    db = await createTestDatabase('platform_commands');
    await migrateEventStore(db.pool);
    store = createPostgresEventStore({ pool: db.pool });
    other = createPostgresEventStore({ connectionString: db.url, poolConfig: { max: 2 } });
    const readStream = store.readStream.bind(store);
    const readStreamTail = store.readStreamTail.bind(store);
    store.readStream = (...args) => (reads++, readStream(...args));
    store.readStreamTail = (...args) => (reads++, readStreamTail(...args));
    commands = new Commands(store);
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await other.close();
    await db.drop();
  }, 60_000);

  const execute = (streamId: string, commandId: string, command: CreditLineCommand) =>
    commands.execute(creditLineDecider, {
      streamId,
      command,
      commandId,
      customerId: streamId,
      actor: 'user:test',
      occurredAt: '2025-03-02T10:00:00.000Z',
    });

  const openLine = async (limitMinor: string): Promise<string> => {
    const streamId = `line-${randomUUID()}`;
    await execute(streamId, randomUUID(), { type: 'OpenCreditLine', data: { limitMinor, openedOn: '2025-03-01' } });
    return streamId;
  };

  /** Reads the line for the check, then reserves when the amount fits (as a credit check does). */
  const check = (streamId: string, checkId: string, amountMinor: string) =>
    withTransaction(db.pool, async () => {
      const { state } = await commands.state(creditLineDecider, streamId, { forCommand: checkId });
      if (availableMinor(state) < BigInt(amountMinor)) return null;
      return execute(streamId, checkId, reserve(checkId, amountMinor));
    });

  it('reads the stream once per command, not once to look and again to decide', async () => {
    const streamId = await openLine('1000');
    await commands.state(creditLineDecider, streamId); // cached, as after any earlier command
    reads = 0;
    const result = await check(streamId, randomUUID(), '100');
    expect(result?.streamVersion).toBe(2);
    expect(reads).toBe(1);
  });

  it('refuses a decision on a state another process appended past, and decides again on fresh state', async () => {
    const streamId = await openLine('300');
    await commands.state(creditLineDecider, streamId);
    let runs = 0;
    const checkId = randomUUID();
    const result = await withTransaction(db.pool, async () => {
      runs++;
      const { state } = await commands.state(creditLineDecider, streamId, { forCommand: checkId });
      // Meanwhile another process reserves 250 of the 300 (its first run only).
      if (runs === 1) await other.appendToStream(streamId, 1, [reservedEvent('250')]);
      if (availableMinor(state) < 100n) return null;
      return execute(streamId, checkId, reserve(checkId, '100'));
    });
    // The first run's decision (100 of 300 free) was refused; the second saw 50 free and reserved nothing.
    expect(runs).toBe(2);
    expect(result).toBeNull();
    expect((await store.readStream(streamId)).map((e) => e.eventType)).toEqual(['CreditLineOpened', 'CreditReserved']);
  });

  it('answers a repeated check from the stream, appending nothing', async () => {
    const streamId = await openLine('1000');
    const checkId = randomUUID();
    const first = await check(streamId, checkId, '100');
    const again = await check(streamId, checkId, '100');
    expect(first?.alreadyHandled).toBe(false);
    expect(again).toMatchObject({ alreadyHandled: true, streamVersion: 2 });
    expect((await store.readStream(streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('never reserves beyond the limit when 20 checks on one stream run at once', async () => {
    const streamId = await openLine('1000');
    const results = await Promise.all(Array.from({ length: 20 }, () => check(streamId, randomUUID(), '100')));
    expect(results.filter((r) => r !== null)).toHaveLength(10);
    const { state } = await commands.load(creditLineDecider, streamId);
    expect(availableMinor(state)).toBe(0n);
  });
});

function reservedEvent(amountMinor: string) {
  return {
    eventId: randomUUID(),
    eventType: 'CreditReserved',
    schemaVersion: 1,
    data: { reservationId: randomUUID(), amountMinor, reservedAt: '2025-03-02T10:00:00Z' },
    metadata: { customerId: 'x', correlationId: randomUUID(), causationId: null, actor: 'other', occurredAt: '2025-03-02T10:00:00Z' },
  };
}
