// The backbone benchmark (issue 2): event-store writes and reads, relay to Kafka, consumer into
// PostgreSQL and the end-to-end latency at a steady rate, from one run on this machine.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createPostgresEventStore, START, type EventStore, type GlobalPosition, type NewEvent } from '@arc/event-store';
import { createKafka, ensureTopics, ExactlyOnceConsumer, Relay } from '@arc/messaging';
import { createTestDatabase, endpoints, uniqueTopicName } from '@arc/testing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 16;
const ROUNDS = 3;
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);

interface Row {
  measure: string;
  value: string;
  target: string;
}

function newEvent(customerId: string): NewEvent {
  return {
    eventId: randomUUID(),
    eventType: 'AmountAdded',
    schemaVersion: 1,
    data: { amountMinor: '12345', currency: 'EUR', invoiceNumber: 'INV-2026-000123' },
    metadata: { customerId, correlationId: randomUUID(), causationId: null, actor: 'bench', occurredAt: new Date().toISOString() },
  };
}

/** Runs `workers` loops for SECONDS and returns operations per second. */
async function rate(workers: number, operation: (worker: number, iteration: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration += 1) {
        await operation(worker, iteration);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')} /s`;
const ms = (n: number | undefined) => `${Math.round((n ?? Number.NaN) * 10) / 10} ms`;

async function countEvents(store: EventStore): Promise<number> {
  let position: GlobalPosition = START;
  let count = 0;
  for (;;) {
    const { events, checkpoint } = await store.readAll(position, 5000);
    if (events.length === 0) return count;
    count += events.length;
    position = checkpoint;
  }
}

export async function runBackbone(): Promise<void> {
  const rows: Row[] = [];
  const db = await createTestDatabase('bench_backbone', { max: CONCURRENCY + 4 });
  const store = createPostgresEventStore({ pool: db.pool });
  await store.migrate();
  const kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'bench' });
  const run = randomUUID().slice(0, 8);
  try {
    console.error(`backbone benchmark: ${SECONDS} s per throughput measure, ${CONCURRENCY} connections`);

    // The baseline writes the same row into a copy of the events table (same columns, defaults, unique
    // constraints and indexes), so the ratio is what the store adds: the version check, idempotency, wake-ups.
    await db.pool.query('CREATE TABLE raw_inserts (LIKE events INCLUDING ALL)');
    const rawVersions = new Array<number>(CONCURRENCY).fill(0);
    const insertRaw = (worker: number) => {
      const event = newEvent(`customer-${worker}`);
      rawVersions[worker] = (rawVersions[worker] ?? 0) + 1;
      return db.pool.query(
        'INSERT INTO raw_inserts (stream_id, stream_version, event_id, event_type, schema_version, data, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [`raw-${run}-${worker}`, rawVersions[worker], event.eventId, event.eventType, event.schemaVersion, event.data, event.metadata],
      );
    };
    // Warm the store (schema, LISTEN connection) outside the measured time.
    await store.appendToStream(`warmup-${run}`, 'no_stream', [newEvent('warmup')]);
    // Raw inserts and appends alternate, round by round, and their medians are compared: a disk or
    // autovacuum hiccup then hits both sides instead of skewing the ratio.
    const rawRounds: number[] = [];
    const appendRounds: number[] = [];
    const appended = new Array<number>(CONCURRENCY).fill(0);
    for (let round = 0; round < ROUNDS; round += 1) {
      rawRounds.push(await rate(CONCURRENCY, insertRaw));
      appendRounds.push(
        await rate(CONCURRENCY, async (worker) => {
          const version = appended[worker] ?? 0;
          await store.appendToStream(`account-${run}-${worker}`, version === 0 ? 'no_stream' : version, [newEvent(`customer-${worker}`)]);
          appended[worker] = version + 1;
        }),
      );
    }
    const raw = median(rawRounds);
    const single = median(appendRounds);
    rows.push({
      measure: `raw single-row INSERT of an event row, ${CONCURRENCY} connections (baseline, median of ${ROUNDS})`,
      value: perSecond(raw),
      target: '',
    });
    rows.push({
      measure: `event-store append, 1 event, ${CONCURRENCY} concurrent (median of ${ROUNDS})`,
      value: `${perSecond(single)} (${Math.round((single / raw) * 100)} % of raw)`,
      target: '>= 70 % of raw',
    });

    const batches = await rate(CONCURRENCY, (worker, iteration) =>
      store.appendToStream(
        `batch-${run}-${worker}`,
        iteration === 0 ? 'no_stream' : iteration * 100,
        Array.from({ length: 100 }, () => newEvent(`customer-${worker}`)),
      ),
    );
    rows.push({
      measure: `event-store append, 100 events, ${CONCURRENCY} concurrent`,
      value: `${perSecond(batches * 100)} events`,
      target: '',
    });

    let started = performance.now();
    const total = await countEvents(store);
    const tail = total / ((performance.now() - started) / 1000);
    rows.push({
      measure: `tail read (readAll, 5,000 a batch) over ${total.toLocaleString('en-US')} events`,
      value: perSecond(tail),
      target: '',
    });

    const topic = uniqueTopicName('bench');
    await ensureTopics(kafka, [{ topic, partitions: 8 }]);
    const relay = new Relay({ name: 'bench', store, pool: db.pool, kafka, topic, batchSize: 5000 });
    started = performance.now();
    await relay.start();
    while (relay.publishedCount < total) await new Promise((resolve) => setTimeout(resolve, 5));
    const relayRate = total / ((performance.now() - started) / 1000);
    rows.push({ measure: 'relay, event store -> Kafka', value: perSecond(relayRate), target: '>= 20,000 /s' });

    await db.pool.query('CREATE TABLE ledger (customer_id text PRIMARY KEY, amount_minor bigint NOT NULL, events int NOT NULL)');
    let consumed = 0;
    const appendedAt = new Map<string, number>();
    const deferredLatencies: number[] = [];
    const record = (into: number[], applied: { eventId: string }[]) => {
      const now = performance.now();
      for (const envelope of applied) {
        const at = appendedAt.get(envelope.eventId);
        if (at !== undefined) into.push(now - at);
      }
    };
    const consumer = new ExactlyOnceConsumer({
      kafka,
      groupId: `bench-${run}`,
      topics: [topic],
      pool: db.pool,
      partitionsConsumedConcurrently: 4,
      dispatch: async ({ tx, envelope }) => {
        await tx.query(
          `INSERT INTO ledger VALUES ($1, $2, 1)
           ON CONFLICT (customer_id) DO UPDATE SET amount_minor = ledger.amount_minor + EXCLUDED.amount_minor, events = ledger.events + 1`,
          [envelope.customerId, (envelope.data as { amountMinor: string }).amountMinor],
        );
      },
      onBatchCommitted: ({ applied }) => {
        consumed += applied.length;
      },
    });
    started = performance.now();
    await consumer.start();
    while (consumed < total) await new Promise((resolve) => setTimeout(resolve, 5));
    const consumerRate = total / ((performance.now() - started) / 1000);
    await consumer.stop();
    rows.push({ measure: 'consumer, Kafka -> PostgreSQL (one upsert per event)', value: perSecond(consumerRate), target: '>= 20,000 /s' });

    // The same work with the upserts deferred to the end of each batch (BatchScope): one statement per batch.
    let consumedDeferred = 0;
    await db.pool.query('CREATE TABLE ledger_deferred (customer_id text PRIMARY KEY, amount_minor bigint NOT NULL, events int NOT NULL)');
    const deferred = new ExactlyOnceConsumer({
      kafka,
      groupId: `bench-deferred-${run}`,
      topics: [topic],
      pool: db.pool,
      partitionsConsumedConcurrently: 4,
      dispatch: async ({ batch, envelope }) => {
        batch.defer('ledger', envelope, async (tx, envelopes) => {
          const sums = new Map<string, { amount: bigint; events: number }>();
          for (const e of envelopes) {
            const sum = sums.get(e.customerId) ?? { amount: 0n, events: 0 };
            sum.amount += BigInt((e.data as { amountMinor: string }).amountMinor);
            sum.events += 1;
            sums.set(e.customerId, sum);
          }
          await tx.query(
            `INSERT INTO ledger_deferred SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])
             ON CONFLICT (customer_id) DO UPDATE
               SET amount_minor = ledger_deferred.amount_minor + EXCLUDED.amount_minor, events = ledger_deferred.events + EXCLUDED.events`,
            [[...sums.keys()], [...sums.values()].map((v) => v.amount.toString()), [...sums.values()].map((v) => v.events)],
          );
        });
      },
      onBatchCommitted: ({ applied }) => {
        consumedDeferred += applied.length;
        record(deferredLatencies, applied);
      },
    });
    started = performance.now();
    await deferred.start();
    while (consumedDeferred < total) await new Promise((resolve) => setTimeout(resolve, 5));
    const deferredRate = total / ((performance.now() - started) / 1000);
    rows.push({
      measure: 'consumer, Kafka -> PostgreSQL (upserts deferred to one per batch)',
      value: perSecond(deferredRate),
      target: '>= 20,000 /s',
    });

    // Steady load: one event every millisecond, timed from the append call to the consumer's commit.
    const interval = 1000 / LATENCY_RATE;
    // The appender, the relay and both consumers share this process: its event-loop delay is part of the latency.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const begin = performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < LATENCY_RATE * LATENCY_SECONDS; i += 1) {
      const due = begin + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const event = newEvent(`steady-${i % 200}`);
      appendedAt.set(event.eventId, performance.now());
      pending.push(store.appendToStream(`steady-${run}-${i}`, 'no_stream', [event]));
    }
    await Promise.all(pending);
    const steady = LATENCY_RATE * LATENCY_SECONDS;
    while (deferredLatencies.length < steady) await new Promise((resolve) => setTimeout(resolve, 5));
    loopDelay.disable();
    rows.push({
      measure: 'event-loop delay of the benchmark process during the steady load',
      value: `p50 ${ms(loopDelay.percentile(50) / 1e6)}, p99 ${ms(loopDelay.percentile(99) / 1e6)}`,
      target: '',
    });
    const sorted = [...deferredLatencies].sort((a, b) => a - b);
    rows.push({
      measure: `append -> consumer commit (deferred upserts), ${LATENCY_RATE.toLocaleString('en-US')} events/s for ${LATENCY_SECONDS} s`,
      value: `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1))}`,
      target: 'p99 <= 100 ms',
    });

    await deferred.stop();
    await relay.stop();
  } finally {
    await store.close();
    await db.drop();
  }

  const width = Math.max(...rows.map((row) => row.measure.length));
  const valueWidth = Math.max(...rows.map((row) => row.value.length));
  console.log(`\nbackbone benchmark (${new Date().toISOString()}, ${process.platform} ${process.arch}, Node ${process.version})`);
  for (const row of rows) console.log(`  ${row.measure.padEnd(width)}  ${row.value.padEnd(valueWidth)}  ${row.target}`);
}
