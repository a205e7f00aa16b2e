import { randomUUID } from 'node:crypto';
import {
  expectEveryRouteRefusesGeneratedInput,
  generatedInputTimeout,
  startServiceUnderTest,
  type ServiceUnderTest,
} from '@arc/platform/testing';
import { createTestDatabase, endpoints, uniqueTopicName, type TestDatabase } from '@arc/testing';
import { AppModule } from './app.module';

// ARC_FUZZ_RUNS sets the number of requests (`npm run fuzz`: 10,000). The consumers run as in production,
// on topics of the suite's own that nobody publishes to, so only the generated requests could append.
describe('the payments service under generated invalid and hostile input', () => {
  let db: TestDatabase;
  let service: ServiceUnderTest;
  const errorLog: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('payments_generated_input');
    const config = {
      port: 0,
      databaseUrl: db.url,
      kafkaBrokers: endpoints().kafkaBrokers,
      topics: {
        payments: uniqueTopicName('payments'),
        invoicing: uniqueTopicName('invoicing'),
        calendar: uniqueTopicName('calendar'),
        credit: uniqueTopicName('credit'),
      },
      consumerGroup: `payments-generated-${randomUUID()}`,
      relayName: 'payments-events',
    };
    service = await startServiceUnderTest(
      AppModule.forRoot(config, { logSink: (line) => line.includes('"level":"error"') && errorLog.push(line) }),
    );
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it(
    'refuses every generated request to every documented route with a 4xx problem, never a 5xx, appending nothing',
    async () => {
      const figures = await expectEveryRouteRefusesGeneratedInput(service, { pool: db.pool, errorLog, log: (text) => console.info(text) });
      expect(figures).toMatchObject({ serverErrors: 0, eventsAppended: 0 });
    },
    generatedInputTimeout(),
  );
});
