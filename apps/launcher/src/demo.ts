import { type DemoCall, type DemoClient, type Json, type MoneyJson, addDays, eur, prng, uuidOf } from './demo-client';
import { until } from './poll';
import { seedCreditManagement, seedCreditReviews } from './demo-credit';
import { seedCollectionsCases, seedCollectionsSetup } from './demo-collections';
import { seedInvoicingAfterHistory, seedInvoicingSetup } from './demo-invoicing';
import { backtestRiskRules, seedRiskRules } from './demo-risk';
import { seedPayments } from './demo-payments';
import { reportProjections, seedProjectionsSetup } from './demo-projections';

// The demo company `npm start` seeds over HTTP, deterministically (a seeded PRNG, ids derived from
// names), simulated week by week: invoices, payments (some late, some never), then the days closed.
// Each area of the platform seeds its own part from its own `demo-<area>.ts`, in one of two places:
// after the customers exist and before the first invoice ("setup"), or once the history is closed ("after
// the history"). The weekly simulation checks projections' open AR against its own running figure, so an
// area that moves money does so after the history.

const COMPANY_WORDS = ['Nordic', 'Atlas', 'Helix', 'Vertex', 'Orion', 'Baltic', 'Alpine', 'Delta', 'Summit', 'Rhine', 'Iberia', 'Danube'];
const COMPANY_KINDS = ['Logistics', 'Machinery', 'Foods', 'Chemicals', 'Textiles', 'Energy'];
const COUNTRIES = ['DE', 'FR', 'NL', 'AT', 'ES', 'IT'];
const CLASSES = ['A', 'B', 'C', 'D'] as const;

export const DEMO = { start: '2026-01-01', lastClosedDay: '2026-04-30', customers: 24, invoices: 200 };

export interface DemoCustomer {
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
  const call: DemoCall = (service, method, path, body) => client.ok(service, method, path, body);
  const customerIds = customers.map((c) => c.id);

  // Setup: each area's configuration, before the first invoice.
  for (const line of await seedCreditManagement(call, customerIds, DEMO.start)) log(line);
  for (const line of await seedCollectionsSetup(call, customers)) log(line);
  for (const line of await seedRiskRules(call)) log(line);
  for (const line of await seedProjectionsSetup(call)) log(line);
  for (const line of await seedInvoicingSetup(client, customers)) log(line);

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

  // After the history: each area's work on the closed months.
  const waitFor = (probe: () => Promise<boolean>, description: string) => until(probe, { timeoutMs: 60_000, intervalMs: 250, description });
  // A review reads how the customer paid from credit's own view: wait until it counts what projections count.
  const creditCaughtUp = (id: string) =>
    waitFor(async () => {
      const [own, ledger] = await Promise.all([
        call('credit', 'GET', `/customers/${id}`),
        call('projections', 'GET', `/customers/${id}/exposure`),
      ]);
      return (own.openAr as MoneyJson).amountMinor === (ledger.openAr as MoneyJson).amountMinor;
    }, `credit to count the open AR of customer ${id}`);
  for (const line of await seedCreditReviews(call, customerIds, DEMO.lastClosedDay, creditCaughtUp)) log(line);
  for (const line of await seedCollectionsCases(call, waitFor)) log(line);
  for (const line of await backtestRiskRules(call)) log(line);
  for (const line of await seedInvoicingAfterHistory(client, customers, DEMO.invoices)) log(line);
  for (const line of await seedPayments(call, customers)) log(line);
  for (const line of await reportProjections(call, customerIds, DEMO.lastClosedDay)) log(line);
  return { customers, invoices, payments };
}
