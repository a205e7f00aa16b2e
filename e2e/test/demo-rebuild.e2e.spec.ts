import { randomBytes } from 'node:crypto';
import {
  DEMO,
  DemoClient,
  awaitSettled,
  deletePlatformTopics,
  launchPlatform,
  readModelStatus,
  rebuildReadModels,
  SERVICES,
  seedDemo,
  type Platform,
} from '@arc/launcher';
import { endpoints } from '@arc/testing';
import { readModelRows } from './read-model-rows';

// The rebuild at the scale of `npm start`'s demo company: months of invoices, payments and day closes
// from many customers, so the topics' partitions interleave in many ways when they are read again.

jest.setTimeout(300_000);

describe('rebuilding the demo company', () => {
  const run = randomBytes(3).toString('hex');
  let platform: Platform;

  beforeAll(async () => {
    const { kafkaBrokers, databaseUrl } = endpoints();
    platform = await launchPlatform({
      kafkaBrokers,
      databaseUrl,
      databasePrefix: `arc_demo_${run}`,
      kafkaNamespace: `demo-${run}`,
      ports: 'free',
    });
  }, 180_000);

  afterAll(async () => {
    if (!platform) return;
    await platform.stop(10_000);
    await platform.dropDatabases();
    await deletePlatformTopics(endpoints().kafkaBrokers, `demo-${run}`);
  }, 60_000);

  it('gives every read model of every service exactly the rows it had', async () => {
    const client = new DemoClient(platform);
    const seeded = await seedDemo(client, () => undefined);
    expect(seeded.invoices).toBe(DEMO.invoices);
    await awaitSettled(client);
    const targets = SERVICES.map((s) => ({ service: s.name, baseUrl: platform.url(s.name) }));
    const admin = client.token(['admin']);
    const models = await readModelStatus(targets, admin);
    expect([...models.values()].flat().every((m) => m.caughtUp)).toBe(true);

    const before = await readModelRows(platform, models);
    // The simulated months' invoices and those the areas add after them, one ledger row each in projections.
    const invoices = before['invoicing.invoicing_invoices']?.length ?? 0;
    expect(invoices).toBeGreaterThanOrEqual(DEMO.invoices);
    expect(before['projections.projections_ar_ledger']).toHaveLength(invoices);
    expect(before['collections.collections_cases']?.length).toBeGreaterThan(0);
    expect(before['risk-alert.risk_alert_alerts']?.length).toBeGreaterThan(0);

    await rebuildReadModels(targets, admin);
    expect(await readModelRows(platform, models)).toEqual(before);
  });
});
