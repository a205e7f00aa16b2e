import { randomUUID } from 'node:crypto';
import type { EventEnvelope, RiskCreditHoldReleaseRequestedData, RiskCreditHoldRequestedData } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { CREDIT, type CreditConfig } from './config';

type Json = Record<string, unknown>;

/** A critical risk alert's credit-hold request reaching the credit service over Kafka (arc.risk.events). */
describe("credit places and lifts risk-alert's holds (real Kafka and PostgreSQL)", () => {
  jest.setTimeout(120_000);
  const suite = useServiceUnderTest<CreditConfig>({
    definition: CREDIT,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'credit_risk_holds',
  });
  const { config, producer } = suite;

  const registered = async (): Promise<string> => {
    const customerId = randomUUID();
    const body = {
      customerId,
      legalName: 'Acme',
      registrationNumber: 'HRB 3',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'EU',
    };
    expect((await suite.call('POST', '/v1/customers', { body, roles: ['sales'] })).status).toBe(201);
    return customerId;
  };
  let version = 0;
  /** What risk-alert's relay publishes: the event on the alert's stream, keyed by the customer. */
  const riskSays = async (eventType: string, data: RiskCreditHoldRequestedData | RiskCreditHoldReleaseRequestedData) => {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      eventType,
      schemaVersion: 1,
      streamId: `alert-${data.alertId}`,
      streamVersion: ++version,
      customerId: data.customerId,
      occurredAt: '2026-04-15T23:00:00.000Z',
      recordedAt: '2026-04-15T23:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'system:risk-alert',
      data: { ...data },
    };
    await producer.send({ topic: config.topics.risk, messages: [{ key: data.customerId, value: JSON.stringify(envelope) }] });
  };
  const hold = async (customerId: string) =>
    (await suite.call('GET', `/v1/customers/${customerId}`, { roles: ['collections'] })).body.hold as Json | null;
  const request = (customerId: string, alertId = randomUUID()) => ({
    alertId,
    ruleId: 'utilisation',
    customerId,
    reason: 'risk alert utilisation critical: credit utilisation 105.00 % > 100.00 % (Utilisation)',
  });

  it('a critical rule puts the customer on hold (source risk-alert), lifted when that alert resolves', async () => {
    const customerId = await registered();
    const asked = request(customerId);
    await riskSays('RiskCreditHoldRequested', asked);
    await waitFor(async () => (await hold(customerId))?.source === 'risk-alert', { description: 'the risk-alert hold' });
    expect(await hold(customerId)).toEqual({ source: 'risk-alert', reason: `${asked.reason} [alert ${asked.alertId}]` });
    await riskSays('RiskCreditHoldReleaseRequested', { ...asked, reason: 'risk alert utilisation resolved: its condition cleared' });
    await waitFor(async () => (await hold(customerId)) === null, { description: 'the hold lifted' });
  });

  it("never lifts a hold it did not place for that alert: a manual hold, or another alert's", async () => {
    const manualHeld = await registered();
    const manual = { source: 'manual', reason: 'fraud check' };
    expect((await suite.call('POST', `/v1/customers/${manualHeld}/holds`, { body: manual, roles: ['finance'] })).status).toBe(201);
    await riskSays('RiskCreditHoldReleaseRequested', { ...request(manualHeld), reason: 'resolved' });
    const otherAlertHeld = await registered();
    const first = request(otherAlertHeld);
    await riskSays('RiskCreditHoldRequested', first);
    await riskSays('RiskCreditHoldReleaseRequested', { ...request(otherAlertHeld), reason: 'another alert resolved' });
    // A later request on the same partition shows the releases were processed before it.
    const marker = await registered();
    await riskSays('RiskCreditHoldRequested', request(marker));
    await waitFor(async () => (await hold(marker)) !== null, { description: 'the marker hold' });
    expect(await hold(manualHeld)).toEqual(manual);
    expect((await hold(otherAlertHeld))?.reason).toBe(`${first.reason} [alert ${first.alertId}]`);
  });
});
