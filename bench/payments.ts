// `npm run bench -- payments` (issue 12): a camt.053 statement of 100,000 credit entries imported end to end — uploaded
// in parts over HTTP, validated, and recorded as receipts with their cash applied to open invoices — into the payments
// service (compiled, alone, on its own databases and topics): entries per second from the first part uploaded to the
// import done, and the service's peak resident memory (targets: ≥ 5,000 entries/s, ≤ 200 MB). Then the cost of
// matching one receipt against a customer with 10,000 open items (the pure cash-application function).
// BENCH_CAMT_ENTRIES sets the size (a smoke run: 2000). BENCH_PROFILE_DIR=<dir>: a CPU profile of the payments process
// over the upload and import (<dir>/payments-camt-import.cpuprofile, with the SQL statements it sent; profile-preload.ts).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { mintDevelopmentToken } from '@arc/auth';
import { Topics } from '@arc/contracts';
import { launchPlatform } from '@arc/launcher';
import { createKafka } from '@arc/messaging';
import { endpoints } from '@arc/testing';
import { rssMb } from './proc';

const ENTRIES = Number(process.env.BENCH_CAMT_ENTRIES ?? 100_000);
const CUSTOMERS = Number(process.env.BENCH_CAMT_CUSTOMERS ?? 100);
const INVOICES_PER_CUSTOMER = Number(process.env.BENCH_CAMT_INVOICES ?? 20);
const OPEN_ITEMS = 10_000;
const MATCH_RECEIPTS = Number(process.env.BENCH_MATCH_RECEIPTS ?? 200);
const PART_CHARACTERS = 300_000;

const progress = (line: string): void => {
  process.stderr.write(`[bench payments] ${line}\n`);
};
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
const iban = (n: number) => `DE${String(10 + (n % 90))}${String(n).padStart(18, '0')}`;
const envelope = (eventType: string, streamId: string, customerId: string, data: unknown) => ({
  eventId: randomUUID(),
  eventType,
  schemaVersion: 1,
  streamId,
  streamVersion: 1,
  customerId,
  occurredAt: '2026-01-01T10:00:00.000Z',
  recordedAt: '2026-01-01T10:00:00.000Z',
  correlationId: randomUUID(),
  causationId: null,
  actor: 'user:bench',
  data,
});

/** The camt.053 text in parts of about PART_CHARACTERS, generated as it is sent (never whole in memory). */
function* camtParts(account: string, payers: string[], invoiceNumbers: string[][]): Generator<string> {
  let part = `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-01-25T18:00:00</CreDtTm></GrpHdr><Stmt><Id>BENCH</Id><Acct><Id><IBAN>${account}</IBAN></Id></Acct>\n`;
  for (let i = 1; i <= ENTRIES; i++) {
    const c = i % payers.length;
    // Every tenth entry quotes one of the customer's invoices (remittance matching); the rest are matched by amount or fall back.
    const quoted = i % 10 === 0 ? (invoiceNumbers[c]?.[i % INVOICES_PER_CUSTOMER] ?? '') : '';
    part += `<Ntry><Amt Ccy="EUR">${(i % 900) + 100}.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-01-25</Dt></BookgDt><AcctSvcrRef>BENCH-${i}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><DbtrAcct><Id><IBAN>${payers[c]}</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>${quoted || `payment ${i}`}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`;
    if (part.length >= PART_CHARACTERS) {
      yield part;
      part = '';
    }
  }
  yield `${part}</Stmt></BkToCstmrStmt></Document>\n`;
}

/** The pure matching function from the payments build output, loaded by path (a benchmark may not import a service). */
async function matchingCost(): Promise<{ microseconds: number; receipts: number }> {
  const dist = resolve(__dirname, '..', '..', 'services', 'payments', 'dist', 'domain');
  type Plan = (input: unknown) => { allocations: unknown[] };
  const { planCashApplication } = (await import(join(dist, 'matching.js'))) as { planCashApplication: Plan };
  // Money as @arc/money builds it: integer minor units and the currency (frozen there; plain here, read only).
  const money = (amountMinor: bigint, currency: string) => Object.freeze({ amountMinor, currency });
  const candidates = Array.from({ length: OPEN_ITEMS }, (_, i) => ({
    invoiceId: `inv-${i}`,
    invoiceNumber: `INV-2026-${String(i).padStart(6, '0')}`,
    dueDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    open: money(BigInt(10_000 + ((i * 7919) % 5_000_000)), 'EUR'),
  }));
  const receipt = (k: number) => ({
    amount: money(BigInt(10_000 + ((k * 104_729) % 9_000_000)), 'EUR'),
    receivedOn: '2026-06-01',
    remittance: k % 3 === 0 ? [`INV-2026-${String(k % OPEN_ITEMS).padStart(6, '0')}`] : [`payment ${k}`],
    candidates,
    settings: { unmatchedCash: 'oldest-due-first', discountToleranceMinor: 0n },
  });
  for (let k = 0; k < 10; k++) planCashApplication(receipt(k)); // warm-up
  const started = performance.now();
  for (let k = 0; k < MATCH_RECEIPTS; k++) planCashApplication(receipt(k));
  return { microseconds: ((performance.now() - started) * 1000) / MATCH_RECEIPTS, receipts: MATCH_RECEIPTS };
}

export async function runPayments(): Promise<void> {
  const { kafkaBrokers, databaseUrl } = endpoints();
  progress(
    `start (${load()}); ${fmt(ENTRIES)} camt.053 entries for ${CUSTOMERS} customers with ${INVOICES_PER_CUSTOMER} open invoices each`,
  );
  const lines: string[] = ['payments (issue 12):'];
  const run = randomUUID().slice(0, 8);
  const namespace = `bench-payments-${run}`;
  const profileDir = process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const platform = await launchPlatform({
    kafkaBrokers,
    databaseUrl,
    services: ['payments'],
    databasePrefix: `bench_payments_${run}`,
    kafkaNamespace: namespace,
    ports: 'free',
    recreateDatabases: true,
    runtime: 'compiled',
    ...(profileDir
      ? {
          env: {
            NODE_OPTIONS: `--require ${join(__dirname, 'profile-preload.js')}`,
            ARC_CPU_PROFILE_DIR: profileDir,
            ARC_CPU_PROFILE_LABELS: 'camt-import',
          },
        }
      : {}),
  });
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: `bench-payments-${run}` });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const token = mintDevelopmentToken({ sub: 'bench', roles: ['admin'], name: 'Bench' });
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${platform.url('payments')}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json).slice(0, 500)}`);
      return json;
    };
    progress(`customers and ${fmt(CUSTOMERS * INVOICES_PER_CUSTOMER)} open invoices, as credit and invoicing publish them`);
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    const invoiceNumbers: string[][] = customers.map((_, c) =>
      Array.from({ length: INVOICES_PER_CUSTOMER }, (__, k) => `INV-B${run}-${c}-${k}`),
    );
    const messages = (topic: string, list: Array<{ key: string; value: unknown }>) =>
      producer.send({ topic: `${namespace}.${topic}`, messages: list.map((m) => ({ key: m.key, value: JSON.stringify(m.value) })) });
    await messages(
      Topics.credit,
      customers.map((customerId, i) => ({
        key: customerId,
        value: envelope('CustomerRegistered', `customer-${customerId}`, customerId, {
          customerId,
          legalName: `Bench ${i}`,
          registrationNumber: `HRB ${i}`,
          industry: 'machinery',
          country: 'DE',
          currency: 'EUR',
          businessUnit: 'industrial',
        }),
      })),
    );
    for (const [c, customerId] of customers.entries()) {
      await messages(
        Topics.invoicing,
        (invoiceNumbers[c] ?? []).map((invoiceNumber, k) => {
          const invoiceId = randomUUID();
          const total = { amountMinor: String(((c * 31 + k * 17) % 900) * 100 + 10_000), currency: 'EUR' };
          return {
            key: customerId,
            value: envelope('InvoiceIssued', `invoice-${invoiceId}`, customerId, {
              invoiceId,
              invoiceNumber,
              customerId,
              currency: 'EUR',
              lines: [{ description: 'machines', netAmount: total, taxAmount: { amountMinor: '0', currency: 'EUR' } }],
              total,
              issueDate: '2026-01-01',
              dueDate: `2026-02-${String((k % 28) + 1).padStart(2, '0')}`,
              earlyPaymentDiscount: null,
              reservationId: null,
            }),
          };
        }),
      );
    }
    const payers = customers.map((_, c) => iban(c + 1));
    // The consumer has the customers once a mapping for the last one is accepted.
    for (const [c, customerId] of customers.entries()) {
      for (let attempt = 0; ; attempt++) {
        try {
          await api('PUT', `/payer-accounts/${payers[c] as string}`, { customerId });
          break;
        } catch (error) {
          if (attempt > 100) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
    // Waits on state, not a fixed pause: the import starts once payments' view holds every customer's invoices.
    for (const customerId of customers) {
      for (let attempt = 0; ; attempt++) {
        const known = (await api('GET', `/customers/${customerId}/payment-account`)).invoices as unknown[];
        if (known.length === INVOICES_PER_CUSTOMER) break;
        if (attempt > 600) throw new Error(`payments knows ${known.length} of the ${INVOICES_PER_CUSTOMER} invoices of ${customerId}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const pid = platform.service('payments').pid;
    if (pid === undefined) throw new Error('the payments service is not running');
    let peak = rssMb(pid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 100);
    const statementId = randomUUID();
    if (profileDir) process.kill(pid, 'SIGWINCH'); // starts the profiler (profile-preload.ts)
    progress(`camt.053 of ${fmt(ENTRIES)} entries: upload in parts, then import`);
    const started = performance.now();
    await api('POST', '/bank-statements', { statementId, format: 'camt.053', fileName: 'bench.xml' });
    let seq = 0;
    for (const part of camtParts(iban(999_999), payers, invoiceNumbers))
      await api('PUT', `/bank-statements/${statementId}/parts/${++seq}`, { content: part });
    const uploaded = performance.now();
    const poll = setInterval(() => {
      void api('GET', `/bank-statements/${statementId}`).then(
        (r) =>
          progress(
            `  ${String(r.status)}: ${fmt(Number(r.checkpoint))} of ${r.entries === null ? '?' : fmt(Number(r.entries))} entries, RSS ${fmt(rssMb(pid))} MB`,
          ),
        () => undefined,
      );
    }, 2000);
    // The import answers when it is done; on a loaded machine that can be past fetch's 300 s header timeout: the end is
    // then watched on the statement's status.
    let report: Record<string, unknown>;
    try {
      report = await api('POST', `/bank-statements/${statementId}/import`);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // a problem answer, not the client giving up
      for (;;) {
        const status = await api('GET', `/bank-statements/${statementId}`);
        if (status.status === 'imported') {
          report = status;
          break;
        }
        if (status.status !== 'importing') throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const ended = performance.now();
    if (profileDir) process.kill(pid, 'SIGWINCH'); // stops it and writes the profile
    clearInterval(poll);
    clearInterval(sampler);
    const seconds = (ended - started) / 1000;
    if (profileDir) {
      const written = join(profileDir, 'payments-camt-import.sql.json');
      for (let waited = 0; !existsSync(written) && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    }
    const matched = await matchingCost();
    lines.push(
      `  camt.053 import of ${fmt(ENTRIES)} entries (${seq} parts uploaded in ${fmt((uploaded - started) / 1000, 1)} s), end to end to allocations: ${fmt(seconds, 1)} s = ${fmt(ENTRIES / seconds)} entries/s (target ≥ 5,000); receipts ${fmt(Number(report.receipts))}, duplicates ${fmt(Number(report.duplicates))}, suspense ${fmt(Number(report.suspense))}`,
      `  payments service peak RSS during the import: ${fmt(peak)} MB (target ≤ 200 MB)`,
      `  matching one receipt against a customer with ${fmt(OPEN_ITEMS)} open items: ${fmt(matched.microseconds)} µs per receipt (${matched.receipts} receipts: remittance, exact amount, combination, fallback)`,
      `  ${load()} at the end`,
    );
  } finally {
    await producer.disconnect();
    await platform.stop();
    await platform.dropDatabases();
  }
  console.log(lines.join('\n'));
}
