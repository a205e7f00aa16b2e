import { createHash } from 'node:crypto';
import { mintDevelopmentToken, type Role } from '@arc/auth';
import type { Platform } from './launcher';
import type { ServiceName } from './services';
import { until } from './poll';
import { seedCreditManagement, seedCreditReviews } from './demo-credit';
import { seedCollectionsCases, seedCollectionsSetup } from './demo-collections';

// The demo company `npm start` seeds over HTTP, deterministically (a seeded PRNG, ids derived from
// names), simulated week by week: invoices, payments (some late, some never), then the days closed.

type Json = Record<string, unknown>;
interface MoneyJson {
  amountMinor: string;
  currency: string;
}

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable UUID (v4 layout) derived from a name, so a re-seed repeats the same commands. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(`arc-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const eur = (amountMinor: bigint | number): MoneyJson => ({ amountMinor: String(amountMinor), currency: 'EUR' });
const euros = (m: MoneyJson | string): string => {
  const minor = BigInt(typeof m === 'string' ? m : m.amountMinor);
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  const units = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${units}.${(abs % 100n).toString().padStart(2, '0')}`;
};

const COMPANY_WORDS = ['Nordic', 'Atlas', 'Helix', 'Vertex', 'Orion', 'Baltic', 'Alpine', 'Delta', 'Summit', 'Rhine', 'Iberia', 'Danube'];
const COMPANY_KINDS = ['Logistics', 'Machinery', 'Foods', 'Chemicals', 'Textiles', 'Energy'];
const COUNTRIES = ['DE', 'FR', 'NL', 'AT', 'ES', 'IT'];
const CLASSES = ['A', 'B', 'C', 'D'] as const;

export const DEMO = { start: '2026-01-01', lastClosedDay: '2026-04-30', customers: 24, invoices: 200 };

export class DemoClient {
  private readonly tokens = new Map<string, string>();
  constructor(private readonly platform: Platform) {}

  token(roles: Role[]): string {
    const key = roles.join(',');
    let t = this.tokens.get(key);
    if (t === undefined) {
      t = mintDevelopmentToken({ sub: `demo-${key}`, roles, name: `Demo ${key}` });
      this.tokens.set(key, t);
    }
    return t;
  }

  async call(
    service: ServiceName,
    method: string,
    path: string,
    body?: unknown,
    roles: Role[] = ['admin'],
  ): Promise<{ status: number; body: Json }> {
    const request = () =>
      fetch(`${this.platform.url(service)}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token(roles)}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    // A service the launcher is restarting refuses connections for a moment: the request never reached it,
    // so sending it again is safe. Anything else (a reset mid-request, an answer) is the caller's.
    let response: Response | undefined;
    const deadline = Date.now() + 60_000;
    while (response === undefined) {
      try {
        response = await request();
      } catch (error) {
        if (!connectionRefused(error) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  async ok(service: ServiceName, method: string, path: string, body?: unknown): Promise<Json> {
    const reply = await this.call(service, method, path, body);
    if (reply.status >= 300) throw new Error(`${method} ${service} /v1${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}

interface DemoCustomer {
  id: string;
  name: string;
  termDays: number;
  limitMinor: bigint;
  /** Chance that an invoice is paid late, and that it is never paid. */
  lateness: number;
  neverPays: number;
}

export interface SeedResult {
  customers: DemoCustomer[];
  invoices: number;
  payments: number;
}

/** Seeds the demo company over HTTP; `log` reports progress. Deterministic for a given seed. */
export async function seedDemo(client: DemoClient, log: (line: string) => void, seed = 20260101): Promise<SeedResult> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

  await client.ok('invoicing', 'POST', '/calendar/start', { date: DEMO.start });

  const customers: DemoCustomer[] = [];
  for (let i = 0; i < DEMO.customers; i++) {
    const name = `${pick(COMPANY_WORDS)} ${pick(COMPANY_KINDS)} ${String(i + 1).padStart(2, '0')}`;
    const creditClass = pick(CLASSES);
    const customer: DemoCustomer = {
      id: uuidOf(`customer-${i}`),
      name,
      termDays: pick([14, 30, 30, 45, 60]),
      limitMinor: BigInt(between(5, 40)) * 1_000_000n, // 50,000.00 – 400,000.00
      lateness: creditClass === 'A' ? 0.05 : creditClass === 'B' ? 0.15 : creditClass === 'C' ? 0.35 : 0.6,
      neverPays: creditClass === 'D' ? 0.3 : creditClass === 'C' ? 0.1 : 0.02,
    };
    customers.push(customer);
    await client.ok('credit', 'POST', '/customers', {
      customerId: customer.id,
      legalName: name,
      registrationNumber: `HRB-${10000 + i}`,
      industry: name.split(' ')[1] as string,
      country: pick(COUNTRIES),
      currency: 'EUR',
      businessUnit: pick(['emea-north', 'emea-south']),
    });
    await client.ok('credit', 'PUT', `/customers/${customer.id}/credit-policy`, {
      creditClass,
      creditLimit: eur(customer.limitMinor),
      paymentTermDays: customer.termDays,
      acceptedPaymentMethods: ['bank-transfer', 'e-payment'],
      nextReviewDate: '2026-12-31',
    });
  }
  log(`registered ${customers.length} customers with credit policies`);
  const credit = (service: 'credit', method: string, path: string, body?: unknown) => client.ok(service, method, path, body);
  for (const line of await seedCreditManagement(
    credit,
    customers.map((c) => c.id),
    DEMO.start,
  ))
    log(line);
  const collections = (service: 'credit' | 'collections', method: string, path: string, body?: unknown) =>
    client.ok(service, method, path, body);
  for (const line of await seedCollectionsSetup(collections, customers)) log(line);

  await client.ok('risk-alert', 'POST', '/alert-rules', {
    ruleId: 'overdue-above-25k',
    name: 'Overdue above 25,000.00',
    metric: 'customer-overdue-amount',
    comparison: '>',
    threshold: { unit: 'minor-units', amount: eur(2_500_000) },
    severity: 'critical',
  });
  await client.ok('risk-alert', 'POST', '/alert-rules', {
    ruleId: 'overdue-ratio-above-50',
    name: 'Overdue ratio above 50 %',
    metric: 'customer-overdue-ratio',
    comparison: '>',
    threshold: { unit: 'basis-points', basisPoints: 5000 },
    severity: 'warning',
  });
  log('defined 2 alert rules');

  // Plan: invoices spread over January–April, each with its payment day (or none).
  interface Planned {
    id: string;
    number: string;
    customer: DemoCustomer;
    issueDate: string;
    amount: bigint;
    tax: bigint;
    paidOn: string | null;
  }
  const spanDays = 110; // 2026-01-01 .. 2026-04-20
  const planned: Planned[] = [];
  for (let n = 0; n < DEMO.invoices; n++) {
    const customer = pick(customers);
    const issueDate = addDays(DEMO.start, between(0, spanDays));
    const net = BigInt(between(5, 150)) * 10_000n + BigInt(between(0, 99)); // 500.00 – 15,000.99
    const due = addDays(issueDate, customer.termDays);
    const roll = random();
    const paidOn =
      roll < customer.neverPays
        ? null
        : roll < customer.neverPays + customer.lateness
          ? addDays(due, between(3, 45))
          : addDays(issueDate, between(1, customer.termDays));
    planned.push({
      id: uuidOf(`invoice-${n}`),
      number: `INV-2026-${String(n + 1).padStart(6, '0')}`,
      customer,
      issueDate,
      amount: net,
      tax: (net * 19n) / 100n,
      paidOn,
    });
  }

  let invoices = 0;
  let payments = 0;
  // Open AR per customer as the seeding expects it: before a day is closed, projections must have
  // applied the week's invoices and payments, so the history (aging, alerts, cases) is the same every run.
  const expectedOpen = new Map<string, bigint>(customers.map((c) => [c.id, 0n]));
  const touched = new Set<string>();
  let day = DEMO.start;
  while (day <= DEMO.lastClosedDay) {
    const weekEnd = addDays(day, 6) < DEMO.lastClosedDay ? addDays(day, 6) : DEMO.lastClosedDay;
    for (const inv of planned
      .filter((p) => p.issueDate >= day && p.issueDate <= weekEnd)
      .sort((a, b) => a.issueDate.localeCompare(b.issueDate))) {
      const body = {
        invoiceId: inv.id,
        number: inv.number,
        customerId: inv.customer.id,
        currency: 'EUR',
        issueDate: inv.issueDate,
        lines: [{ description: `Order ${inv.number.slice(-6)}`, netAmount: eur(inv.amount), taxAmount: eur(inv.tax) }],
      };
      // Invoicing learns a customer's payment terms from CreditPolicySet, a moment after the policy is set.
      await until(async () => (await client.call('invoicing', 'POST', '/invoices', body)).status < 300, {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: `invoice ${inv.number} to be issued`,
      });
      invoices++;
      expectedOpen.set(inv.customer.id, (expectedOpen.get(inv.customer.id) ?? 0n) + inv.amount + inv.tax);
      touched.add(inv.customer.id);
    }
    for (const inv of planned.filter((p) => p.paidOn !== null && p.paidOn >= day && p.paidOn <= weekEnd)) {
      // Payments allocates against the invoices it has seen: wait until it knows this one.
      await until(
        async () => {
          const account = await client.ok('payments', 'GET', `/customers/${inv.customer.id}/payment-account`);
          return (account.invoices as Json[]).some((i) => i.invoiceId === inv.id);
        },
        { timeoutMs: 30_000, intervalMs: 50, description: `payments to know invoice ${inv.number}` },
      );
      // Payments learns the day closes from the calendar topic: a receipt dated ahead of the open day it has
      // seen so far is refused until it catches up, so wait for that instead of failing the demo.
      const receipt = {
        bankReference: `BANK-${inv.number}`,
        customerId: inv.customer.id,
        amount: eur(inv.amount + inv.tax),
        receivedOn: inv.paidOn,
        method: 'bank-transfer',
        remittanceReferences: [inv.number],
      };
      await until(
        async () => {
          const reply = await client.call('payments', 'POST', '/payments', receipt);
          if (reply.status < 300) return true;
          if (reply.status === 422 && reply.body.code === 'RECEIVED_ON_TOO_FAR_AHEAD') return false;
          throw new Error(`POST payments /v1/payments answered ${reply.status}: ${JSON.stringify(reply.body)}`);
        },
        { timeoutMs: 30_000, intervalMs: 100, description: `payments to reach the open day of receipt ${receipt.bankReference}` },
      );
      payments++;
      expectedOpen.set(inv.customer.id, (expectedOpen.get(inv.customer.id) ?? 0n) - inv.amount - inv.tax);
      touched.add(inv.customer.id);
    }
    for (const id of touched) {
      const want = String(expectedOpen.get(id) ?? 0n);
      await until(
        async () => ((await client.ok('projections', 'GET', `/customers/${id}/exposure`)).openAr as MoneyJson).amountMinor === want,
        {
          timeoutMs: 30_000,
          intervalMs: 50,
          description: `projections to show open AR ${want} for customer ${id}`,
        },
      );
    }
    touched.clear();
    await client.ok('invoicing', 'POST', '/calendar/close-days', { until: weekEnd });
    day = addDays(weekEnd, 1);
  }
  log(`issued ${invoices} invoices, recorded ${payments} payments, closed the days ${DEMO.start} … ${DEMO.lastClosedDay}`);
  // A review reads how the customer paid from credit's own view: wait until it counts what projections count.
  const creditCaughtUp = (id: string) =>
    until(
      async () => {
        const [own, ledger] = await Promise.all([
          client.ok('credit', 'GET', `/customers/${id}`),
          client.ok('projections', 'GET', `/customers/${id}/exposure`),
        ]);
        return (own.openAr as MoneyJson).amountMinor === (ledger.openAr as MoneyJson).amountMinor;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: `credit to count the open AR of customer ${id}` },
    );
  for (const line of await seedCreditReviews(
    credit,
    customers.map((c) => c.id),
    DEMO.lastClosedDay,
    creditCaughtUp,
  ))
    log(line);
  const waitFor = (probe: () => Promise<boolean>, description: string) => until(probe, { timeoutMs: 60_000, intervalMs: 250, description });
  for (const line of await seedCollectionsCases(collections, waitFor)) log(line);
  return { customers, invoices, payments };
}

/** Waits until the read side has caught up with the seeding (business date, alerts and cases settled). */
export async function awaitSettled(client: DemoClient): Promise<void> {
  await until(async () => (await client.ok('projections', 'GET', '/business-date')).lastClosedDay === DEMO.lastClosedDay, {
    timeoutMs: 120_000,
    intervalMs: 250,
    description: `projections to reach ${DEMO.lastClosedDay}`,
  });
  let last = '';
  let stableFor = 0;
  await until(
    async () => {
      const alerts = (await client.ok('risk-alert', 'GET', '/alerts')).alerts as Json[];
      const cases = (await client.ok('collections', 'GET', '/cases')).cases as Json[];
      const now = JSON.stringify([alerts.map((a) => [a.alertId, a.status]), cases.map((c) => [c.caseId, c.status, c.figuresAsOf])]);
      stableFor = now === last ? stableFor + 1 : 0;
      last = now;
      return stableFor >= 4;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: 'alerts and cases to settle' },
  );
}

/** The summary `npm start` prints, every figure fetched over HTTP from the services. */
export async function summary(client: DemoClient, platform: Platform, seeded: SeedResult, infra: { databaseUrl: string }): Promise<string> {
  const lines: string[] = [];
  const names = new Map(seeded.customers.map((c) => [c.id, c.name]));
  const totals = new Map<string, bigint>();
  let notYetDue = 0n;
  let open = 0n;
  const exposures: { name: string; exposure: bigint; limit: bigint; utilisation: number | null }[] = [];
  for (const customer of seeded.customers) {
    const aging = ((await client.ok('projections', 'GET', `/customers/${customer.id}/aging`)).aging as Json[])[0];
    if (aging) {
      notYetDue += BigInt((aging.notYetDue as MoneyJson).amountMinor);
      open += BigInt((aging.totalOpen as MoneyJson).amountMinor);
      for (const bucket of aging.buckets as { label: string; amount: MoneyJson }[]) {
        totals.set(bucket.label, (totals.get(bucket.label) ?? 0n) + BigInt(bucket.amount.amountMinor));
      }
    }
    const exposure = await client.ok('projections', 'GET', `/customers/${customer.id}/exposure`);
    exposures.push({
      name: customer.name,
      exposure: BigInt((exposure.exposure as MoneyJson).amountMinor),
      limit: customer.limitMinor,
      utilisation: exposure.utilisationBasisPoints as number | null,
    });
  }
  const lastClosedDay = (await client.ok('projections', 'GET', '/business-date')).lastClosedDay as string;
  lines.push(
    '',
    `ARC demo company: ${seeded.customers.length} customers, ${seeded.invoices} invoices, ${seeded.payments} payments — last closed day ${lastClosedDay}`,
    '',
  );
  lines.push('Aging (EUR, all customers):');
  lines.push(`  not yet due ${euros(notYetDue.toString()).padStart(16)}`);
  for (const [label, amount] of totals) lines.push(`  ${label.padEnd(11)} ${euros(amount.toString()).padStart(16)}`);
  lines.push(`  open AR     ${euros(open.toString()).padStart(16)}`, '');
  lines.push('Largest exposures:');
  for (const e of exposures.sort((a, b) => (b.exposure > a.exposure ? 1 : b.exposure < a.exposure ? -1 : 0)).slice(0, 5)) {
    const pct = e.utilisation === null ? '—' : percentOfBasisPoints(e.utilisation);
    lines.push(
      `  ${e.name.padEnd(24)} ${euros(e.exposure.toString()).padStart(14)} of ${euros(e.limit.toString()).padStart(12)}  (${pct})`,
    );
  }
  const byName = (a: string | undefined, b: string | undefined): number => (a ?? '').localeCompare(b ?? '');
  const alerts = ((await client.ok('risk-alert', 'GET', '/alerts')).alerts as Json[])
    .filter((a) => a.status === 'open')
    .sort(
      (a, b) =>
        byName(names.get((a.subject as Json).key as string), names.get((b.subject as Json).key as string)) ||
        byName(String(a.ruleId), String(b.ruleId)),
    );
  lines.push('', `Open alerts: ${alerts.length}`);
  for (const a of alerts.slice(0, 10))
    lines.push(`  [${String(a.severity)}] ${names.get((a.subject as Json).key as string) ?? ''}: ${String(a.message)}`);
  if (alerts.length > 10) lines.push(`  … and ${alerts.length - 10} more`);
  const cases = ((await client.ok('collections', 'GET', '/cases')).cases as Json[])
    .filter((c) => c.status === 'open')
    .sort((a, b) => byName(names.get(a.customerId as string), names.get(b.customerId as string)));
  lines.push('', `Open collection cases: ${cases.length}`);
  for (const c of cases.slice(0, 10)) {
    lines.push(
      `  ${(names.get(c.customerId as string) ?? String(c.customerId)).padEnd(24)} overdue ${euros(c.overdue as MoneyJson).padStart(12)}, oldest ${String(c.oldestDaysPastDue)} days past due, opened ${String(c.openedOn)}`,
    );
  }
  if (cases.length > 10) lines.push(`  … and ${cases.length - 10} more`);

  lines.push('', 'Where to look:');
  for (const s of platform.services) lines.push(`  ${s.name.padEnd(12)} ${s.baseUrl}/docs   (log: ${s.logFile})`);
  lines.push('', 'Development tokens (Authorization: Bearer <token>):');
  for (const role of ['sales', 'finance', 'collections', 'legal', 'risk', 'admin'] as Role[])
    lines.push(`  ${role.padEnd(12)} ${client.token([role])}`);
  const bi = new URL(platform.service('projections').databaseUrl);
  bi.username = platform.biRole;
  bi.password = platform.biPassword;
  void infra;
  lines.push('', 'BI (read-only, schema reporting):', `  psql '${bi.toString()}' -c 'select * from reporting.customer_exposure'`);
  lines.push('', 'Ctrl-C stops the six services.');
  return lines.join('\n');
}

/** 6310 basis points as "63.10 %", from the integer, so the display is exact. */
function percentOfBasisPoints(basisPoints: number): string {
  const sign = basisPoints < 0 ? '-' : '';
  const abs = Math.abs(basisPoints);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')} %`;
}

function connectionRefused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED';
}
