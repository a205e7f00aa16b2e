import { randomUUID } from 'node:crypto';
import { Body, Controller, Inject, Module, Param, ParseUUIDPipe, Post, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IsInt, Min } from 'class-validator';
import { Actor, Roles, signToken, type AuthenticatedActor } from '@arc/auth';
import type { EventEnvelope } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import type { ArcKafkaContext } from '@arc/messaging';
import { createTestDatabase, endpoints, testKafka, uniqueTopicName, waitFor, type TestDatabase } from '@arc/testing';
import { configureServiceApp } from '../bootstrap';
import { Idempotent, IdempotencyKey } from '../idempotency/idempotency.interceptor';
import { PlatformModule } from '../platform.module';
import { Commands } from './commands';
import { connectEventConsumers } from './event-consumers';
import { EventSourcingModule } from './event-sourcing.module';

const SECRET = 'event-sourcing-test-secret-of-32-chars!';

type Add = { type: 'Add'; data: { amount: number } };
type Added = { type: 'Added'; data: { amount: number } };
const counter: Decider<Add, Added, number> = {
  initialState: 0,
  decide: (command) => [{ type: 'Added', data: { amount: command.data.amount } }],
  evolve: (total, event) => total + event.data.amount,
};

class AddDto {
  @IsInt() @Min(1) amount!: number;
}

@Controller('counters/:id')
class CounterController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @Post()
  @Roles('finance')
  @Idempotent()
  async add(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ) {
    const result = await this.commands.execute(counter, {
      streamId: `counter-${id}`,
      command: { type: 'Add', data: { amount: dto.amount } },
      commandId: key ?? randomUUID(),
      customerId: id,
      actor: actor.id,
      occurredAt: '2026-11-22T10:00:00.000Z',
    });
    return { total: result.newState, version: result.streamVersion };
  }

  /** Reacts to another context's event: the correlation id comes from the envelope, the cause is the event. */
  @EventPattern('Poked')
  async poked(@Payload() envelope: EventEnvelope, @Ctx() _ctx: ArcKafkaContext): Promise<void> {
    await this.commands.execute(counter, {
      streamId: `counter-${envelope.customerId}`,
      command: { type: 'Add', data: { amount: 1 } },
      commandId: `poke:${envelope.eventId}`,
      customerId: envelope.customerId,
      actor: 'system:test',
      causationId: envelope.eventId,
      occurredAt: envelope.occurredAt,
    });
  }
}

describe('EventSourcingModule and connectEventConsumers', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const topic = uniqueTopicName('es-out');
  const inbox = uniqueTopicName('es-in');
  const kafka = testKafka('event-sourcing-test');

  beforeAll(async () => {
    db = await createTestDatabase('platform_event_sourcing');
    @Module({
      imports: [
        PlatformModule.forRoot({ service: 'demo', pgPool: db.pool, jwtSecret: SECRET, logSink: () => undefined }),
        EventSourcingModule.forRoot({ topic, partitions: 1, relayName: 'demo-events', brokers: endpoints().kafkaBrokers }),
      ],
      controllers: [CounterController],
    })
    class DemoModule {}
    const moduleRef = await Test.createTestingModule({ imports: [DemoModule] }).compile();
    app = configureServiceApp(moduleRef.createNestApplication({ bufferLogs: true }));
    await connectEventConsumers(app, { groupId: `demo-${randomUUID()}`, topics: [inbox], createMissingTopics: 1 });
    await app.init();
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const post = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}/v1/counters/${id}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${signToken({ sub: 'alice', roles: ['finance'] }, { secret: SECRET })}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify(body),
    });

  const metadataOf = async (streamId: string) =>
    (
      await db.pool.query<{ metadata: Record<string, unknown> }>(
        'SELECT metadata FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [streamId],
      )
    ).rows.map((row) => row.metadata);

  it('runs commands with the request metadata, once per Idempotency-Key, and relays the events to the topic', async () => {
    const id = randomUUID();
    const correlationId = `corr-${randomUUID()}`;
    const key = randomUUID();
    const first = await post(id, { amount: 5 }, { 'x-correlation-id': correlationId, 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ total: 5, version: 1 });
    expect((await post(id, { amount: 5 }, { 'idempotency-key': key })).status).toBe(201);
    expect(await metadataOf(`counter-${id}`)).toEqual([
      {
        customerId: id,
        correlationId,
        causationId: null,
        actor: 'user:alice',
        occurredAt: '2026-11-22T10:00:00.000Z',
        commandFingerprint: expect.any(String),
      },
    ]);

    const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
    const seen: EventEnvelope[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
        },
      });
      await waitFor(() => seen.some((e) => e.customerId === id), { description: 'the event on the service topic' });
    } finally {
      await consumer.disconnect();
    }
    expect(seen.find((e) => e.customerId === id)).toMatchObject({
      eventType: 'Added',
      streamId: `counter-${id}`,
      streamVersion: 1,
      correlationId,
      data: { amount: 5 },
    });
  });

  it('runs Kafka handlers inside the envelope correlation id', async () => {
    const id = randomUUID();
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      eventType: 'Poked',
      schemaVersion: 1,
      streamId: `poke-${id}`,
      streamVersion: 1,
      customerId: id,
      occurredAt: '2026-11-22T11:00:00.000Z',
      recordedAt: '2026-11-22T11:00:00.000Z',
      correlationId: `corr-${randomUUID()}`,
      causationId: null,
      actor: 'user:bob',
      data: {},
    };
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: inbox, messages: [{ key: id, value: JSON.stringify(envelope) }] });
    } finally {
      await producer.disconnect();
    }
    const metadata = await waitFor(async () => (await metadataOf(`counter-${id}`))[0], { description: 'the reaction to the Kafka event' });
    expect(metadata).toEqual({
      customerId: id,
      correlationId: envelope.correlationId,
      causationId: envelope.eventId,
      actor: 'system:test',
      occurredAt: envelope.occurredAt,
    });
  });

  it('reports Kafka in the readiness checks', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      checks: expect.arrayContaining([expect.objectContaining({ name: 'kafka', status: 'up' })]),
    });
  });
});
