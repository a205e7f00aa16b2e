import { randomUUID } from 'node:crypto';
import { createPostgresEventStore, migrateEventStore, withTransaction, type PostgresEventStore } from '@arc/event-store';
import { createTestDatabase, type TestDatabase } from '@arc/testing';
import { Commands, type ExecuteCommand } from './commands';
import { availableMinor, creditLineDecider, type CreditLineCommand } from './test-support/credit-line.decider';

const request = (streamId: string, commandId: string, command: CreditLineCommand): ExecuteCommand<CreditLineCommand> => ({
  streamId,
  command,
  commandId,
  customerId: randomUUID(),
  actor: 'system:test',
  occurredAt: '2025-03-02T10:00:00.000Z',
});
const open = (limitMinor: string): CreditLineCommand => ({ type: 'OpenCreditLine', data: { limitMinor, openedOn: '2025-03-01' } });
const reserve = (amountMinor: string): CreditLineCommand => ({
  type: 'ReserveCredit',
  data: { reservationId: randomUUID(), amountMinor, reservedAt: '2025-03-02T10:00:00Z' },
});

describe('Commands.executeMany: a batch of commands over many streams, one read and one append', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let commands: Commands;

  beforeAll(async () => {
    db = await createTestDatabase('execute_many');
    await migrateEventStore(db.pool);
    store = createPostgresEventStore({ pool: db.pool });
    commands = new Commands(store);
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await db.drop();
  }, 60_000);

  it('decides each command on the state its stream has after the ones before it, and appends them all', async () => {
    const [a, b] = [`line-${randomUUID()}`, `line-${randomUUID()}`];
    const results = await withTransaction(db.pool, () =>
      commands.executeMany(creditLineDecider, [
        request(a, `open-${a}`, open('1000')),
        request(b, `open-${b}`, open('500')),
        request(a, `reserve-${a}`, reserve('300')),
      ]),
    );
    expect(results.map((r) => r.streamVersion)).toEqual([1, 1, 2]);
    expect(results[2] && availableMinor(results[2].newState)).toBe(700n);
    expect((await commands.load(creditLineDecider, a)).version).toBe(2);
    expect((await commands.load(creditLineDecider, b)).version).toBe(1);
  });

  it('appends nothing for a command handled before (a rerun of the same batch) and answers what it decided then', async () => {
    const a = `line-${randomUUID()}`;
    const batch = [request(a, `open-${a}`, open('1000')), request(a, `reserve-${a}`, reserve('300'))];
    await withTransaction(db.pool, () => commands.executeMany(creditLineDecider, batch));
    const again = await withTransaction(db.pool, () => commands.executeMany(creditLineDecider, batch));
    expect(again.map((r) => r.alreadyHandled)).toEqual([true, true]);
    expect(again[1]?.events).toHaveLength(1);
    expect((await commands.load(creditLineDecider, a)).version).toBe(2);
  });

  it('refuses outside a transaction', async () => {
    await expect(commands.executeMany(creditLineDecider, [request(`line-${randomUUID()}`, randomUUID(), open('1'))])).rejects.toThrow(
      /inside a transaction/,
    );
  });
});
