import { randomBytes, randomUUID } from 'node:crypto';
import { mintDevelopmentToken } from '@arc/auth';
import { deletePlatformTopics, launchPlatform, readModelStatus, rebuildReadModels, SERVICES, type Platform } from '@arc/launcher';
import { endpoints, waitFor } from '@arc/testing';
import { RetryingClient, type Json, type Outcome } from './chaos/client';
import { compareWithOracle, storedEvents, type Comparison } from './chaos/figures';
import { BUSINESS_DATE, chargedOf, Oracle, openOf, paidOf, type OracleCustomer, type OracleInvoice } from './chaos/load';
import { prng } from './chaos/prng';
import { readModelRows } from './read-model-rows';

// The money invariant suite on the real servers (issue 7): a random sequence of invoices, credit notes (some
// beyond the open balance), payments (part, whole, over-payments that spill to other invoices and onto the
// account, payments quoting nothing) and races of a payment with a credit note on the same invoice, through
// the public HTTP API of the six services as the launcher runs them. An oracle kept here decides what each
// answer must be — where a payment's cash goes (quoted invoice first, then oldest due, the rest on account),
// which credit notes are refused — and, once the events have settled, every figure in invoicing, credit,
// payments and projections must equal it, none negative. The pure layer of the same suite is in the deciders'
// *.money-invariants.unit.spec.ts.
//
// The same launched platform also carries issue 7's items that need every service at once: the money bound
// (item 3), a rebuild equal to live at the bound (item 13), and hostile input on every service (items 2, 4).

jest.setTimeout(300_000);

const eur = (minor: bigint) => ({ amountMinor: minor.toString(), currency: 'EUR' });
/** The bound on one amount (@arc/money): 15 digits of minor units. */
const MAX_AMOUNT_MINOR = 999_999_999_999_999n;
const STEPS = Number.parseInt(process.env.ARC_MONEY_STEPS ?? '36', 10);

describe('money invariants on the real servers: random invoices, credit notes and payments over HTTP', () => {
  const run = randomBytes(3).toString('hex');
  const seed = Number.parseInt(process.env.ARC_MONEY_SEED ?? String(Date.now() % 1_000_000), 10);
  const report = (line: string) => process.stdout.write(`[money] ${line}\n`);
  let platform: Platform;

  beforeAll(async () => {
    const { kafkaBrokers, databaseUrl } = endpoints();
    platform = await launchPlatform({
      kafkaBrokers,
      databaseUrl,
      databasePrefix: `arc_money_${run}`,
      kafkaNamespace: `money-${run}`,
      ports: 'free',
    });
  }, 240_000);

  afterAll(async () => {
    if (!platform) return;
    await platform.stop(10_000);
    await platform.dropDatabases();
    await deletePlatformTopics(endpoints().kafkaBrokers, `money-${run}`).catch(() => undefined);
  }, 120_000);

  it('never shows a negative balance, refuses credit notes beyond the open balance, applies cash as the oracle, and every service agrees with it', async () => {
    const client = new RetryingClient(platform, { deadlineMs: 60_000, requestTimeoutMs: 20_000 });
    const oracle = new Oracle(client, run);
    const random = prng(seed);
    report(`seed ${seed} (ARC_MONEY_SEED repeats it), ${STEPS} steps`);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const negatives: string[] = [];
    const counts: Record<string, number> = {};
    const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);

    await oracle.setUp(2);
    for (const customerId of oracle.customers.keys()) {
      await waitFor(async () => (await oracle.issueInvoice(random, customerId)) !== undefined, {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: 'invoicing to know the payment terms',
      });
    }

    /** Waits until every service shows the oracle's figures for the customer (the events have arrived everywhere). */
    const settled = async (customer: OracleCustomer, description: string): Promise<Comparison> => {
      let last: Comparison | undefined;
      try {
        return await waitFor(
          async () => {
            last = await compareWithOracle(client, { customers: new Map([[customer.customerId, customer]]) });
            negatives.push(...last.negatives);
            return last.mismatches.length === 0 ? last : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 300, description },
        );
      } catch (error) {
        throw new Error(`${description}: ${JSON.stringify(last?.mismatches.slice(0, 12))} (${String(error)})`);
      }
    };

    const applied = (outcome: Outcome, what: string): Json => {
      if (outcome.kind !== 'applied') throw new Error(`${what}: ${JSON.stringify(outcome)}`);
      return outcome.body;
    };

    const creditNote = (invoice: OracleInvoice, amount: bigint) =>
      client.send('invoicing', 'POST', `/invoices/${invoice.invoiceId}/credit-notes`, {
        creditNoteId: randomUUID(),
        number: `CN-${randomUUID().slice(0, 8)}`,
        amount: eur(amount),
        reason: 'money invariants: goods returned',
        issueDate: BUSINESS_DATE,
      });
    const payment = (customer: OracleCustomer, amount: bigint, quoted: OracleInvoice | null) => {
      const paymentId = randomUUID();
      return client.send('payments', 'POST', '/payments', {
        paymentId,
        bankReference: `BANK-${paymentId}`,
        customerId: customer.customerId,
        amount: eur(amount),
        receivedOn: BUSINESS_DATE,
        method: 'bank-transfer',
        remittanceReferences: quoted === null ? [] : [quoted.number],
      });
    };
    /** Books the payment where payments' answer says its cash went; returns Σ allocated. */
    const book = (customer: OracleCustomer, amount: bigint, body: Json): Map<string, bigint> => {
      customer.paymentsTotal += amount;
      const landed = new Map<string, bigint>();
      for (const a of (body.allocations ?? []) as { invoiceId: string; amount: { amountMinor: string } }[]) {
        const invoice = customer.invoices.get(a.invoiceId);
        if (invoice === undefined) throw new Error(`cash allocated to ${a.invoiceId}, never issued to this customer`);
        invoice.allocated += BigInt(a.amount.amountMinor);
        landed.set(a.invoiceId, (landed.get(a.invoiceId) ?? 0n) + BigInt(a.amount.amountMinor));
      }
      return landed;
    };

    for (let step = 0; step < STEPS; step++) {
      const customer = pick([...oracle.customers.values()]);
      const invoices = [...customer.invoices.values()];
      const roll = random();
      // Every step starts from a settled platform, so the oracle can say what each answer must be.
      await settled(customer, `step ${step}: every service to show the oracle's figures`);

      if (roll < 0.25 || invoices.length === 0) {
        if ((await oracle.issueInvoice(random, customer.customerId)) === undefined) throw new Error('an invoice was refused');
        count('invoice');
      } else if (roll < 0.45) {
        // A credit note: up to the open balance it is issued; beyond it (or on a settled invoice) refused with 409.
        const invoice = pick(invoices);
        const open = openOf(invoice);
        const beyond = open === 0n || random() < 0.3;
        const amount = beyond ? open + 1n + BigInt(Math.floor(random() * 100_000)) : 1n + BigInt(Math.floor(random() * Number(open)));
        const outcome = await creditNote(invoice, amount);
        if (beyond) {
          expect(outcome).toMatchObject({ kind: 'refused', status: 409, body: { type: 'urn:arc:problem:credit-note-exceeds-balance' } });
          count('credit note refused (beyond the open balance)');
        } else {
          applied(outcome, 'credit note within the open balance');
          invoice.credited += amount;
          count('credit note');
        }
      } else if (roll < 0.85) {
        // A payment: part of an invoice, all of it, more than it (the rest spills to the oldest due, then on account), or quoting nothing.
        const quoted = random() < 0.85 ? pick(invoices) : null;
        const base = quoted === null ? 50_000n + BigInt(Math.floor(random() * 2_000_000)) : openOf(quoted);
        const shape = random();
        const amount =
          quoted === null || base === 0n
            ? base || 10_000n
            : shape < 0.4
              ? base / 2n || 1n
              : shape < 0.7
                ? base
                : base + 1n + BigInt(Math.floor(random() * 3_000_000));
        // The oracle's own cash application: the quoted invoice first, then oldest due (all share a due date: by id).
        const order = invoices.filter((i) => i !== quoted).sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : 1));
        let remaining = amount;
        const expected = new Map<string, bigint>();
        for (const invoice of quoted === null ? order : [quoted, ...order]) {
          const take = remaining < openOf(invoice) ? remaining : openOf(invoice);
          if (take > 0n) expected.set(invoice.invoiceId, take);
          remaining -= take;
        }
        const body = applied(await payment(customer, amount, quoted), 'payment');
        expect(book(customer, amount, body)).toEqual(expected);
        expect(BigInt((body.unapplied as { amountMinor: string }).amountMinor)).toBe(remaining);
        count(remaining > 0n ? 'payment with cash left on account' : 'payment');
      } else {
        // A race: a credit note and a payment for the whole open balance of one invoice, at once. Whichever
        // invoicing learns first, the invoice ends at zero and no lower; cash it cannot absorb goes on account.
        const candidates = invoices.filter((i) => openOf(i) > 0n);
        if (candidates.length === 0) continue;
        const invoice = pick(candidates);
        const open = openOf(invoice);
        const [noted, paid] = await Promise.all([creditNote(invoice, open), payment(customer, open, invoice)]);
        book(customer, open, applied(paid, 'payment in a race'));
        if (noted.kind === 'applied') {
          invoice.credited += open;
          count('race: both accepted (the excess goes back on account)');
        } else {
          expect(noted).toMatchObject({ kind: 'refused', status: 409, body: { type: 'urn:arc:problem:credit-note-exceeds-balance' } });
          count('race: the credit note refused');
        }
      }
    }

    for (const customer of oracle.customers.values()) {
      const final = await settled(customer, 'the last events to arrive everywhere');
      expect(final.mismatches).toEqual([]);
      for (const invoice of customer.invoices.values()) {
        // The rule the figures were compared against: an invoice keeps at most what it charged, never owes below zero.
        expect(paidOf(invoice) <= chargedOf(invoice) && openOf(invoice) >= 0n).toBe(true);
      }
    }
    report(`steps: ${JSON.stringify(counts)}; client ${JSON.stringify(client.stats)}`);
    expect(negatives).toEqual([]);
    expect(client.stats.serverErrors).toBe(0);
  });
  it('refuses an amount past ±999,999,999,999,999 minor units on invoice lines, payments, limits, insured amounts and thresholds (400 problem+json), appending nothing', async () => {
    const client = new RetryingClient(platform, { deadlineMs: 60_000, requestTimeoutMs: 20_000 });
    const registered = new Oracle(client, `${run}a`);
    await registered.setUp(1, 100_000_000n, false);
    const customerId = [...registered.customers.keys()][0] as string;
    const tooLarge = [
      eur(MAX_AMOUNT_MINOR + 1n),
      { amountMinor: '1234567890123456789012345678901234567890', currency: 'EUR' },
      eur(-MAX_AMOUNT_MINOR - 1n),
    ];
    const before = await storedEvents(platform);
    for (const amount of tooLarge) {
      const attempts: [Parameters<RetryingClient['once']>[0], string, string, unknown][] = [
        [
          'invoicing',
          'POST',
          '/invoices',
          {
            invoiceId: randomUUID(),
            number: `BIG-${randomUUID().slice(0, 8)}`,
            customerId,
            currency: 'EUR',
            issueDate: BUSINESS_DATE,
            lines: [{ description: 'x', netAmount: amount, taxAmount: eur(0n) }],
          },
        ],
        [
          'payments',
          'POST',
          '/payments',
          {
            paymentId: randomUUID(),
            bankReference: `BIG-${randomUUID()}`,
            customerId,
            amount,
            receivedOn: BUSINESS_DATE,
            method: 'bank-transfer',
          },
        ],
        [
          'credit',
          'PUT',
          `/customers/${customerId}/credit-policy`,
          {
            creditClass: 'B',
            creditLimit: amount,
            paymentTermDays: 30,
            acceptedPaymentMethods: ['bank-transfer'],
            nextReviewDate: '2026-12-31',
          },
        ],
        [
          'credit',
          'PUT',
          `/customers/${customerId}/credit-policy`,
          {
            creditClass: 'B',
            creditLimit: eur(1_000n),
            insuredAmount: amount,
            paymentTermDays: 30,
            acceptedPaymentMethods: ['bank-transfer'],
            nextReviewDate: '2026-12-31',
          },
        ],
        [
          'risk-alert',
          'POST',
          '/alert-rules',
          {
            name: 'big',
            metric: 'customer-overdue-amount',
            comparison: '>',
            threshold: { unit: 'minor-units', amount },
            severity: 'warning',
          },
        ],
      ];
      for (const [service, method, path, body] of attempts) {
        const reply = await client.once(service, method, path, body);
        expect({ service, path, status: reply.status, type: typeof reply.body.type }).toEqual({
          service,
          path,
          status: 400,
          type: 'string',
        });
        expect(JSON.stringify(reply.body)).toContain('999999999999999');
      }
    }
    expect(await storedEvents(platform)).toEqual(before);
  });

  it('rebuilds into exactly the rows it keeps live when amounts sit at the bound and their sums pass it (item 13), parking nothing', async () => {
    const client = new RetryingClient(platform, { deadlineMs: 60_000, requestTimeoutMs: 20_000 });
    const oracle = new Oracle(client, `${run}b`);
    await oracle.setUp(1, MAX_AMOUNT_MINOR, false);
    const customer = [...oracle.customers.values()][0] as OracleCustomer;
    const issue = async (n: number): Promise<OracleInvoice> => {
      const invoiceId = randomUUID();
      const number = `MAX-${run}-${n}`;
      const body = {
        invoiceId,
        number,
        customerId: customer.customerId,
        currency: 'EUR',
        issueDate: BUSINESS_DATE,
        lines: [{ description: 'at the bound', netAmount: eur(MAX_AMOUNT_MINOR - 19n), taxAmount: eur(19n) }],
      };
      await waitFor(async () => (await client.once('invoicing', 'POST', '/invoices', body, `max-${invoiceId}`)).status === 201, {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: 'invoicing to know the payment terms',
      });
      const invoice: OracleInvoice = {
        invoiceId,
        number,
        customerId: customer.customerId,
        total: MAX_AMOUNT_MINOR,
        credited: 0n,
        allocated: 0n,
      };
      customer.invoices.set(invoiceId, invoice);
      return invoice;
    };
    const first = await issue(1);
    await issue(2);
    await issue(3);
    // Open AR is now three times the bound of one amount: a figure, which every read model and figures event must carry.
    const paymentId = randomUUID();
    const paid = await client.send('payments', 'POST', '/payments', {
      paymentId,
      bankReference: `MAX-${paymentId}`,
      customerId: customer.customerId,
      amount: eur(MAX_AMOUNT_MINOR),
      receivedOn: BUSINESS_DATE,
      method: 'bank-transfer',
      remittanceReferences: [first.number],
    });
    expect(paid.kind).toBe('applied');
    customer.paymentsTotal += MAX_AMOUNT_MINOR;
    first.allocated += MAX_AMOUNT_MINOR;
    await waitFor(async () => (await compareWithOracle(client, oracle)).mismatches.length === 0 || undefined, {
      timeoutMs: 90_000,
      intervalMs: 300,
      description: 'every service to show the figures at the bound',
    });

    const targets = SERVICES.map((service) => ({ service: service.name, baseUrl: platform.url(service.name) }));
    const admin = mintDevelopmentToken({ sub: 'money-admin', roles: ['admin'] });
    await waitFor(async () => [...(await readModelStatus(targets, admin)).values()].flat().every((m) => m.caughtUp), {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: 'every read model to catch up',
    });
    const models = await readModelStatus(targets, admin);
    const live = await readModelRows(platform, models);
    await rebuildReadModels(targets, admin);
    expect(await readModelRows(platform, models)).toEqual(live);
    expect((await compareWithOracle(client, oracle)).mismatches).toEqual([]);
    for (const { name } of SERVICES) {
      const metrics = await (await fetch(`${platform.url(name)}/metrics`)).text();
      expect({ service: name, deadLetters: metrics.match(/^arc_dead_letters_total\{.*$/gm) }).toEqual({ service: name, deadLetters: null });
    }
  });
  describe('hostile input on every service (items 2 and 4): a 400 problem+json, never a 5xx, nothing appended', () => {
    const token = () => mintDevelopmentToken({ sub: 'hostile', roles: ['admin'] });
    const raw = async (service: (typeof SERVICES)[number]['name'], method: string, path: string, body: string) => {
      const response = await fetch(`${platform.url(service)}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body }),
      });
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
    };
    const customer = randomUUID();
    /** One command route per service, with a body that would otherwise be well-formed. */
    const routes: [(typeof SERVICES)[number]['name'], string, string, Record<string, unknown>][] = [
      ['credit', 'POST', `/customers/${customer}/holds`, { source: 'collections', reason: 'hostile' }],
      [
        'credit',
        'POST',
        '/customers',
        {
          customerId: customer,
          legalName: 'Hostile GmbH',
          registrationNumber: 'HRB-1',
          industry: 'x',
          country: 'DE',
          currency: 'EUR',
          businessUnit: 'emea',
        },
      ],
      [
        'invoicing',
        'POST',
        '/invoices',
        {
          invoiceId: randomUUID(),
          number: 'H-1',
          customerId: customer,
          currency: 'EUR',
          issueDate: BUSINESS_DATE,
          lines: [{ description: 'x', netAmount: eur(100n), taxAmount: eur(0n) }],
        },
      ],
      [
        'payments',
        'POST',
        '/payments',
        {
          paymentId: randomUUID(),
          bankReference: 'H-1',
          customerId: customer,
          amount: eur(100n),
          receivedOn: BUSINESS_DATE,
          method: 'bank-transfer',
        },
      ],
      ['collections', 'POST', `/customers/${customer}/promises`, { payments: [{ dueOn: BUSINESS_DATE, amount: eur(100n) }] }],
      [
        'risk-alert',
        'POST',
        '/alert-rules',
        {
          name: 'hostile',
          metric: 'customer-overdue-amount',
          comparison: '>',
          threshold: { unit: 'minor-units', amount: eur(100n) },
          severity: 'warning',
        },
      ],
    ];
    const expectRefused = (reply: { status: number; contentType: string; body: string }, what: string) => {
      expect({ what, status: reply.status, problem: reply.contentType.includes('application/problem+json') }).toEqual({
        what,
        status: 400,
        problem: true,
      });
      const problem = JSON.parse(reply.body) as Json;
      expect([typeof problem.type, typeof problem.title, problem.status]).toEqual(['string', 'string', 400]);
    };

    it('refuses a NUL character in a text field, and JSON nested five thousand levels deep, on a command route of every service', async () => {
      const before = await storedEvents(platform);
      for (const [service, method, path, body] of routes) {
        const withNul = JSON.stringify(body).replace(/"(hostile|Hostile GmbH|x|H-1|emea|EUR)"/, '"a\\u0000b"');
        expect(withNul).toContain('\\u0000');
        expectRefused(await raw(service, method, path, withNul), `${service} ${path} with a NUL`);
        expectRefused(
          await raw(service, method, path, `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`),
          `${service} ${path} nested 5,000 deep`,
        );
      }
      expectRefused(await raw('projections', 'GET', `/ledger?customerId=a%00b`, ''), 'projections ledger with a NUL in the query');
      expect(await storedEvents(platform)).toEqual(before);
    });

    it.each(['__proto__', 'constructor'])(
      'refuses a field named %s like any unknown field (a hold is not placed), on every service',
      async (key) => {
        const before = await storedEvents(platform);
        for (const [service, method, path, body] of routes) {
          const hostile = JSON.stringify(body).replace(/^\{/, `{"${key}":{"isAdmin":true},`);
          expectRefused(await raw(service, method, path, hostile), `${service} ${path} with ${key}`);
        }
        expect(await storedEvents(platform)).toEqual(before);
        const holds = await raw('credit', 'GET', `/customers/${customer}`, '');
        expect(holds.status).toBe(404);
      },
    );
  });
});
