import type { Role } from '@arc/auth';
import { type DemoClient, type Json, type MoneyJson, eur, uuidOf } from './demo-client';

/*
 * The invoicing part of the demo company (issue 11). Setup: the ECB reference rate and three customer
 * contracts (2/10 net 30; end of month + 30 with late interest at the reference rate + 9 points and EUR 40
 * compensation; three instalments). After the history: an invoice under each contract, a dispute left open on
 * 40 % of an invoice and one accepted with its credit note, a write-off requested by collections, approved by
 * finance and signed off by legal (three different people), and on-demand statements — one confirmed, one
 * objected to (which opens a dispute). The month-end statements are issued by the day closes of the history.
 * Nothing here moves money before the history is closed.
 */

type Customer = { id: string; name: string };

/** A call as a department: the demo client mints one development token per role set (subject `demo-<roles>`). */
function as(client: DemoClient, roles: Role[]) {
  return async (method: string, path: string, body?: unknown): Promise<Json> => {
    const reply = await client.call('invoicing', method, path, body, roles);
    if (reply.status >= 300)
      throw new Error(`${method} invoicing /v1${path} as ${roles.join(',')} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
}

const contractIdOf = (n: number) => uuidOf(`contract-${n}`);
const CLAUSE = { method: 'arbitration', venue: 'DIS, Frankfurt am Main', governingLaw: 'German law' };

export async function seedInvoicingSetup(client: DemoClient, customers: readonly Customer[]): Promise<string[]> {
  const finance = as(client, ['finance']);
  await finance('POST', '/reference-rates', { effectiveFrom: '2025-06-11', basisPoints: 215, name: 'ECB main refinancing operations' });
  // Customers 4–6: the first three are payments' demo payers; their cash stays as payments seeds it.
  const [first, second, third] = customers.slice(3, 6) as [Customer, Customer, Customer];
  const contracts = [
    { customer: first, paymentTerms: { kind: 'net', netDays: 30 }, earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 } },
    {
      customer: second,
      paymentTerms: { kind: 'end-of-month', daysAfter: 30 },
      lateInterest: { kind: 'reference-plus-margin', marginBasisPoints: 900 },
      fixedCompensation: eur(4000),
      interestCharging: 'month-end',
    },
    {
      customer: third,
      paymentTerms: {
        kind: 'instalments',
        instalments: [
          { dueAfterDays: 30, shareBasisPoints: 3333 },
          { dueAfterDays: 60, shareBasisPoints: 3333 },
          { dueAfterDays: 90, shareBasisPoints: 3334 },
        ],
      },
      lateInterest: { kind: 'fixed', annualRateBasisPoints: 800 },
      interestCharging: 'on-settlement',
    },
  ];
  for (const [n, { customer, ...terms }] of contracts.entries()) {
    await finance('POST', '/contracts', {
      contractId: contractIdOf(n),
      customerId: customer.id,
      reference: `MSA-2026-${String(n + 1).padStart(3, '0')}`,
      signedOn: '2025-12-15',
      disputeResolution: CLAUSE,
      evidenceRefs: [`dms:contracts/MSA-2026-${String(n + 1).padStart(3, '0')}.pdf`],
      ...terms,
    });
  }
  return [
    `agreed ${contracts.length} customer contracts (2/10 net 30; end of month + 30 with interest; three instalments) and the ECB reference rate`,
  ];
}

export async function seedInvoicingAfterHistory(
  client: DemoClient,
  customers: readonly Customer[],
  invoiceCount: number,
): Promise<string[]> {
  const finance = as(client, ['finance']);
  const sales = as(client, ['sales']);
  const collections = as(client, ['collections']);
  const legal = as(client, ['legal']);
  const lines: string[] = [];
  const calendar = await finance('GET', '/calendar');
  const today = String(calendar.openDay);

  // Invoices under the contracts, dated on the open day after the history.
  for (const n of [0, 1, 2]) {
    const customer = customers[n + 3] as Customer;
    await finance('POST', '/invoices', {
      invoiceId: uuidOf(`contract-invoice-${n}`),
      number: `INV-2026-C${String(n + 1).padStart(5, '0')}`,
      customerId: customer.id,
      contractId: contractIdOf(n),
      currency: 'EUR',
      issueDate: today,
      lines: [{ description: 'Service contract, May', netAmount: eur(1_200_000 + n * 100_000), taxAmount: eur(228_000 + n * 19_000) }],
    });
  }
  lines.push('issued 3 invoices under the contracts (one in three instalments)');

  // Invoices of the history still wholly open, in a stable order.
  // (Not of the first three customers: payments' demo pays and reverses their invoices after this.)
  const paymentsDemo = new Set(customers.slice(0, 3).map((c) => c.id));
  const open: Json[] = [];
  for (let n = 0; n < invoiceCount && open.length < 3; n++) {
    const invoice = await client.call('invoicing', 'GET', `/invoices/${uuidOf(`invoice-${n}`)}`, undefined, ['finance']);
    if (invoice.status === 200 && invoice.body.status === 'open' && !paymentsDemo.has(String(invoice.body.customerId)))
      open.push(invoice.body);
  }
  if (open.length < 3) return [...lines, `found only ${open.length} wholly open invoices: no demo disputes or write-off`];
  const [disputed, accepted, writtenOff] = open as [Json, Json, Json];
  const fortyPercent = (invoice: Json): MoneyJson => eur((BigInt((invoice.total as MoneyJson).amountMinor) * 40n) / 100n);

  await sales('POST', `/invoices/${String(disputed.invoiceId)}/disputes`, {
    disputeId: uuidOf('dispute-open'),
    amount: fortyPercent(disputed),
    reasonCode: 'quality',
    note: '4 of 10 pumps leak at the flange',
    evidenceRefs: ['mail:claim-2026-05-01', 'photo:flange-leak.jpg'],
    raisedOn: today,
  });
  await collections('POST', `/invoices/${String(accepted.invoiceId)}/disputes`, {
    disputeId: uuidOf('dispute-accepted'),
    amount: fortyPercent(accepted),
    reasonCode: 'pricing',
    note: 'billed at list price instead of the agreed price',
    raisedOn: today,
  });
  await finance('POST', `/invoices/${String(accepted.invoiceId)}/disputes/${uuidOf('dispute-accepted')}/resolve`, {
    outcome: 'accepted',
    creditNoteId: uuidOf('dispute-accepted-credit-note'),
    resolvedOn: today,
    note: 'price list checked: the agreed price applies',
  });
  lines.push(`disputed 40 % of ${String(disputed.number)} (open) and of ${String(accepted.number)} (accepted, credit note issued)`);

  const writeOffId = uuidOf('write-off-1');
  await collections('POST', `/invoices/${String(writtenOff.invoiceId)}/write-offs`, {
    writeOffId,
    reason: 'customer in insolvency proceedings, no dividend expected',
    requestedOn: today,
  });
  await finance('POST', `/invoices/${String(writtenOff.invoiceId)}/write-offs/${writeOffId}/approve`, { on: today });
  await legal('POST', `/invoices/${String(writtenOff.invoiceId)}/write-offs/${writeOffId}/sign-off`, { on: today });
  lines.push(`wrote off ${String(writtenOff.number)}: requested by collections, approved by finance, signed off by legal`);

  // Statements on demand for the first quarter and April: one confirmed, one objected to (a dispute on an item).
  const statement = async (customerId: string) =>
    finance('POST', '/statements', { customerId, currency: 'EUR', periodFrom: '2026-01-01', periodTo: '2026-04-30', issuedOn: today });
  const confirmed = await statement((customers[6] as Customer).id);
  await sales('POST', `/statements/${String(confirmed.statementId)}/confirm`, {
    confirmedOn: today,
    confirmedBy: 'accounts-payable@customer.example',
  });
  const objected = await statement(String(disputed.customerId));
  // An invoice of the statement still wholly open (and not the one already disputed), objected to for a tenth.
  let item: Json | undefined;
  for (const candidate of (objected.items as Json[]).filter((i) => i.kind === 'invoice' && i.invoiceId !== disputed.invoiceId)) {
    if ((await finance('GET', `/invoices/${String(candidate.invoiceId)}`)).status === 'open') {
      item = candidate;
      break;
    }
  }
  if (item !== undefined) {
    await sales('POST', `/statements/${String(objected.statementId)}/objection`, {
      objectedOn: today,
      objectedBy: 'accounts-payable@customer.example',
      note: `we never received the goods of ${String(item.reference)}`,
      items: [
        {
          invoiceId: item.invoiceId,
          amount: eur(BigInt((item.amount as MoneyJson).amountMinor) / 10n),
          note: 'part not delivered',
          reasonCode: 'not-delivered',
        },
      ],
    });
  }
  lines.push(
    `issued 2 statements on demand (${String(confirmed.statementId)} confirmed${item === undefined ? '' : `, ${String(objected.statementId)} objected to`})`,
  );
  return lines;
}
