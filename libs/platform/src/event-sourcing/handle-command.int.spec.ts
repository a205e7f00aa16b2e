import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  createPostgresEventStore,
  migrateEventStore,
  type EventMetadata,
  type EventStore,
  type PostgresEventStore,
} from '@arc/event-store';
import { createTestDatabase, type TestDatabase } from '@arc/testing';
import { handleCommand } from './handle-command';
import {
  availableMinor,
  creditLineDecider,
  InsufficientCreditError,
  type CreditLineCommand,
  type CreditLineEvent,
} from './test-support/credit-line.decider';

const metadata: EventMetadata = {
  customerId: randomUUID(),
  correlationId: randomUUID(),
  causationId: null,
  actor: 'user:sales-1',
  occurredAt: '2025-03-02T10:00:00.000Z',
};
const reserve = (amountMinor: string): CreditLineCommand => ({
  type: 'ReserveCredit',
  data: { reservationId: randomUUID(), amountMinor, reservedAt: '2025-03-02T10:00:00Z' },
});

describe('handleCommand against the PostgreSQL event store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('decider_handle_command');
    await migrateEventStore(db.pool);
    store = createPostgresEventStore({ pool: db.pool });
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await db.drop();
  }, 60_000);

  const openCreditLine = async (limitMinor: string): Promise<string> => {
    const streamId = `creditline-${randomUUID()}`;
    const command: CreditLineCommand = { type: 'OpenCreditLine', data: { limitMinor, openedOn: '2025-03-01' } };
    await handleCommand(store, creditLineDecider, { streamId, command, commandId: randomUUID(), metadata });
    return streamId;
  };

  it('lands every one of 8 concurrent reservations that fit, by retrying on fresh state, with a consistent outcome', async () => {
    const streamId = await openCreditLine('8000');
    let lostRaces = 0;
    const counting: EventStore = {
      appendToStream: (...args) =>
        store.appendToStream(...args).catch((error: unknown) => {
          if (error instanceof ConcurrencyError) lostRaces++;
          throw error;
        }),
      readStream: (...args) => store.readStream(...args),
      readAll: (...args) => store.readAll(...args),
      waitForAppends: (...args) => store.waitForAppends(...args),
      close: () => store.close(),
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handleCommand(counting, creditLineDecider, {
          streamId,
          command: reserve(String(100 * (i + 1))),
          commandId: randomUUID(),
          metadata,
          maxRetries: 8,
        }),
      ),
    );
    const stream = await store.readStream(streamId);
    expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.map((r) => r.streamVersion).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lostRaces).toBeGreaterThan(0);
    const final = stream.reduce(
      (state, e) => creditLineDecider.evolve(state, { type: e.eventType, data: e.data } as CreditLineEvent),
      creditLineDecider.initialState,
    );
    expect(availableMinor(final)).toBe(8000n - 3600n);
  });

  it('never reserves more than the limit, however many reservations race for it', async () => {
    const streamId = await openCreditLine('500');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        handleCommand(store, creditLineDecider, { streamId, command: reserve('100'), commandId: randomUUID(), metadata, maxRetries: 10 }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(InsufficientCreditError);
    }
    expect((await store.readStream(streamId)).map((e) => e.eventType)).toEqual([
      'CreditLineOpened',
      ...Array<string>(5).fill('CreditReserved'),
    ]);
  });

  it('appends nothing for a repeated command id and answers with the earlier result', async () => {
    const streamId = await openCreditLine('1000');
    const commandId = randomUUID();
    const command = reserve('250');
    const first = await handleCommand(store, creditLineDecider, { streamId, command, commandId, metadata });
    const countBefore = await countAll(store);

    const repeats = await Promise.all(
      [1, 2, 3].map(() => handleCommand(store, creditLineDecider, { streamId, command, commandId, metadata })),
    );
    for (const repeat of repeats) expect(repeat).toEqual({ ...first, alreadyHandled: true });
    expect(await countAll(store)).toBe(countBefore);
    expect((await store.readStream(streamId)).map((e) => e.eventType)).toEqual(['CreditLineOpened', 'CreditReserved']);
  });

  it('appends a command only once when the same command id races against itself', async () => {
    const streamId = await openCreditLine('1000');
    const commandId = randomUUID();
    const command = reserve('250');
    const results = await Promise.all(
      Array.from({ length: 6 }, () => handleCommand(store, creditLineDecider, { streamId, command, commandId, metadata })),
    );
    expect(results.filter((r) => !r.alreadyHandled)).toHaveLength(1);
    expect(new Set(results.map((r) => r.events[0]?.eventId)).size).toBe(1);
    expect((await store.readStream(streamId)).map((e) => e.eventType)).toEqual(['CreditLineOpened', 'CreditReserved']);
  });
});

/** Counts every stored event, to prove a repeat wrote nothing anywhere. */
async function countAll(store: PostgresEventStore): Promise<number> {
  const { rows } = await store.pool.query<{ count: string }>('SELECT count(*) FROM events');
  return Number(rows[0]?.count);
}
