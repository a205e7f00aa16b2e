// What the HTTP benchmark asks of the running platform: commands, consumer lag, settling, clean-up.
import { Pool } from 'pg';
import { SERVICES, type Platform, type ServiceName } from '@arc/launcher';
import { CpuMeter } from './proc';

export async function call(
  platform: Platform,
  token: string,
  service: ServiceName,
  method: string,
  path: string,
  body?: unknown,
): Promise<number> {
  const response = await fetch(`${platform.url(service)}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await response.text();
  return response.status;
}

/** Sum of arc_consumer_lag_messages over every service (null if a service did not answer). */
export async function consumerLag(platform: Platform): Promise<number | null> {
  let sum = 0;
  for (const { name } of SERVICES) {
    try {
      const text = await (await fetch(`${platform.url(name)}/metrics`)).text();
      for (const line of text.split('\n'))
        if (line.startsWith('arc_consumer_lag_messages{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    } catch {
      return null;
    }
  }
  return sum;
}

/** Waits until every consumer has applied everything on its topics (two quiet reads in a row), at most 120 s. */
export async function settle(platform: Platform, meter: CpuMeter | null): Promise<void> {
  let quiet = 0;
  const deadline = performance.now() + 120_000;
  while (quiet < 2 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    meter?.sample();
    quiet = (await consumerLag(platform)) === 0 ? quiet + 1 : 0;
  }
}

/** Drops the databases of a launch that failed half-way. */
export async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  try {
    for (const { name } of SERVICES) await admin.query(`DROP DATABASE IF EXISTS "${prefix}_${name.replace(/-/g, '_')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** CUSTOMERS customers with credit policies, then one invoice each once invoicing knows their terms (warms the path too). */
export async function registerCustomers(
  platform: Platform,
  token: string,
  customers: string[],
  run: string,
  firstInvoice: () => Record<string, unknown>,
): Promise<void> {
  for (const [i, customerId] of customers.entries()) {
    const registered = await call(platform, token, 'credit', 'POST', '/customers', {
      customerId,
      legalName: `Bench Customer ${i}`,
      registrationNumber: `HRB-${run}-${i}`,
      industry: 'Machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea-north',
    });
    const policy = await call(platform, token, 'credit', 'PUT', `/customers/${customerId}/credit-policy`, {
      creditClass: 'A',
      creditLimit: { amountMinor: '100000000000000', currency: 'EUR' },
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer', 'e-payment'],
      nextReviewDate: '2027-12-31',
    });
    if (registered >= 300 || policy >= 300) throw new Error(`registering customer ${i} answered ${registered}/${policy}`);
  }
  // Invoicing learns the terms from the credit topic: retried until it has.
  for (const customerId of customers) {
    const deadline = performance.now() + 60_000;
    while ((await call(platform, token, 'invoicing', 'POST', '/invoices', { ...firstInvoice(), customerId })) !== 201) {
      if (performance.now() > deadline) throw new Error(`invoicing never learnt the payment terms of ${customerId}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * A crash, one service at a time: the supervisor starts a new process; seconds from its start to its first
 * 200 on /health/ready (polled every 50 ms), with the other five running. Its consumer group may rejoin
 * later than that (see docs/performance.md).
 */
export async function measureRestarts(
  platform: Platform,
  processAgeMs: (pid: number) => number,
  onService: (name: ServiceName) => void,
): Promise<Map<ServiceName, number>> {
  const restarts = new Map<ServiceName, number>();
  for (const { name } of SERVICES) {
    onService(name);
    const service = platform.service(name);
    const before = service.pid;
    await service.kill('SIGKILL');
    const deadline = performance.now() + 120_000;
    let readyAfter = Number.NaN;
    while (performance.now() < deadline) {
      const pid = service.pid;
      if (pid !== undefined && pid !== before) {
        const ok = await fetch(`${service.baseUrl}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) {
          readyAfter = processAgeMs(pid);
          break;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    restarts.set(name, readyAfter);
  }
  return restarts;
}
