import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startServiceUnderTest, type ServiceUnderTest } from '@arc/platform/testing';
import { createTestDatabase, waitFor, type TestDatabase } from '@arc/testing';
import { AppModule } from './app.module';
import { messageIdOf } from './channels/outbox-dispatcher';
import { OUTBOX_TABLE } from './channels/outbox';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink';
import { testCollectionsConfig } from './testing/test-config';

/**
 * The outbox's e-mails go over a bounded pool of reused SMTP connections (not one per e-mail), each once, each with
 * the Message-ID of its step. Real PostgreSQL, Kafka (the service's consumers) and SMTP (smtp-server).
 */
describe('outbox e-mail over pooled SMTP connections (real PostgreSQL, Kafka, SMTP)', () => {
  jest.setTimeout(120_000);
  let db: TestDatabase;
  let smtp: SmtpSink;
  let service: ServiceUnderTest;
  const MAILS = 60;
  const MAX_CONNECTIONS = 2;

  beforeAll(async () => {
    db = await createTestDatabase('collections_outbox_pool');
    smtp = await startSmtpSink();
    const config = testCollectionsConfig(db.url, { smtpUrl: smtp.url, smtpMaxConnections: MAX_CONNECTIONS, smtpMaxMessages: 1000 });
    service = await startServiceUnderTest(AppModule.forRoot(config, { logSink: () => undefined }));
  });

  afterAll(async () => {
    await service?.close();
    await smtp?.close();
    await db?.drop();
  });

  it('sends 60 queued e-mails over at most 2 reused SMTP connections, each once, with its step Message-ID', async () => {
    const customerId = randomUUID();
    const deliveryIds = Array.from({ length: MAILS }, () => `${randomUUID()}:email`);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const deliveryId of deliveryIds) {
        await client.query(
          `INSERT INTO ${OUTBOX_TABLE} (delivery_id, event_id, customer_id, channel, recipient, subject, body_text, body_html, payload, status)
           VALUES ($1, $2, $3, 'email', 'ap@pool.example', $4, 'Please pay.', '<p>Please pay.</p>', '{}'::jsonb, 'pending')`,
          [deliveryId, deliveryId.split(':')[0], customerId, `Reminder ${deliveryId}`],
        );
      }
    } finally {
      await client.end();
    }
    await waitFor(() => smtp.received.length >= MAILS, { description: `${MAILS} mails received`, timeoutMs: 60_000 });
    await waitFor(
      async () => {
        const r = await service.call('GET', '/v1/outbox?status=sent&limit=1000', { roles: ['collections'] });
        return (r.body.deliveries as unknown[]).length === MAILS;
      },
      { description: 'every row marked sent' },
    );
    expect(smtp.received).toHaveLength(MAILS);
    expect(smtp.received.map((m) => m.messageId).sort()).toEqual(deliveryIds.map(messageIdOf).sort());
    expect(smtp.connections).toBeGreaterThan(0);
    expect(smtp.connections).toBeLessThanOrEqual(MAX_CONNECTIONS);
  });
});
