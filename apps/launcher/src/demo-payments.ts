import { type DemoCall, type Json, type MoneyJson, eur, euros, uuidOf } from './demo-client';

/*
 * The payments part of the demo company, after the history (days closed up to 2026-04-30, open day 2026-05-01):
 * a camt.053 bank statement of 30 April (a receipt found by its payer's IBAN, one left unapplied for a customer set
 * to keep unmatched cash on account, one from an unknown account that waits in suspense), part of the unapplied cash
 * refunded, and a cheque that bounced, reversed with its reason (its invoices open again).
 */

const OUR_ACCOUNT = 'DE02120300000000202051';
const iban = (n: number) => `DE4${n}3704004405320130${String(n).padStart(2, '0')}`;

function camt053(entries: Array<{ ref: string; amount: string; payer: string; name: string; remittance: string }>): string {
  const ntry = entries
    .map(
      (e) =>
        `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-04-30</Dt></BookgDt><AcctSvcrRef>${e.ref}</AcctSvcrRef>` +
        `<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>${e.name}</Nm></Dbtr><DbtrAcct><Id><IBAN>${e.payer}</IBAN></Id></DbtrAcct></RltdPties>` +
        `<RmtInf><Ustrd>${e.remittance}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>DEMO-20260430</MsgId><CreDtTm>2026-04-30T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>DEMO-20260430</Id><Acct><Id><IBAN>${OUR_ACCOUNT}</IBAN></Id></Acct>
${ntry}
</Stmt></BkToCstmrStmt></Document>
`;
}

export async function seedPayments(call: DemoCall<'payments'>, customers: ReadonlyArray<{ id: string; name: string }>): Promise<string[]> {
  const [payer, keeper] = customers;
  if (payer === undefined || keeper === undefined) return [];
  // The payers' accounts, as finance maps them; the keeper keeps unmatched cash on account.
  await call('payments', 'PUT', `/payer-accounts/${iban(1)}`, { customerId: payer.id });
  await call('payments', 'PUT', `/payer-accounts/${iban(2)}`, { customerId: keeper.id });
  await call('payments', 'PUT', `/customers/${keeper.id}/payment-settings`, {
    unmatchedCash: 'leave-unapplied',
    applyUnappliedToNewInvoices: false,
    discountToleranceMinor: '100',
  });
  const statement = await call('payments', 'POST', '/bank-statements', {
    statementId: uuidOf('bank-statement-2026-04-30'),
    format: 'camt.053',
    fileName: 'camt053-2026-04-30.xml',
    content: camt053([
      { ref: 'DEMO-0430-0001', amount: '1200.00', payer: iban(1), name: payer.name, remittance: 'payment on account' },
      { ref: 'DEMO-0430-0002', amount: '500.00', payer: iban(2), name: keeper.name, remittance: 'advance payment' },
      { ref: 'DEMO-0430-0003', amount: '250.00', payer: 'FR1420041010050500013M02606', name: 'Unknown SARL', remittance: 'order 4711' },
    ]),
  });
  const refund = await call('payments', 'POST', `/customers/${keeper.id}/refunds`, {
    refundId: uuidOf('refund-keeper-2026-05-01'),
    amount: eur(20_000),
    refundedOn: '2026-05-01',
    reason: 'customer asked for 200.00 of the advance back',
  });
  // The bouncer: the first other customer with money still open, so its cheque pays (and the bounce reopens) something.
  let bouncer: { id: string; name: string } | undefined;
  for (const customer of customers.slice(2)) {
    const account = await call('payments', 'GET', `/customers/${customer.id}/payment-account`);
    const owes = (account.invoices as Json[]).some((i) => BigInt((i.outstanding as MoneyJson | null)?.amountMinor ?? '0') > 0n);
    if (owes) {
      bouncer = customer;
      break;
    }
  }
  let bounced = 'no customer owes anything: no cheque bounced';
  if (bouncer !== undefined) {
    // A cheque for the bouncer's oldest open invoices, which the bank returns unpaid the next day.
    const cheque = await call('payments', 'POST', '/payments', {
      paymentId: uuidOf('cheque-bouncer-2026-05-01'),
      bankReference: 'CHQ-DEMO-000123',
      customerId: bouncer.id,
      amount: eur(300_000),
      receivedOn: '2026-05-01',
      method: 'cheque',
    });
    const reopened = (cheque.allocations as Json[]).length;
    await call('payments', 'POST', `/customers/${bouncer.id}/payments/${String(cheque.paymentId)}/reversal`, {
      reason: 'cheque-bounced',
      note: 'returned unpaid: insufficient funds',
      reversedOn: '2026-05-02',
    });
    bounced = `a cheque of 3,000.00 from ${bouncer.name} bounced: reversed, its ${reopened} invoice${reopened === 1 ? '' : 's'} open again`;
  }
  const unapplied = (refund.unappliedCash as MoneyJson[])[0];
  return [
    `imported camt.053 of 2026-04-30: ${String(statement.receipts)} receipts, ${String(statement.suspense)} in suspense (an unknown account)`,
    `${keeper.name} keeps unmatched cash on account: 500.00 left unapplied, 200.00 refunded, ${unapplied ? euros(unapplied) : '0.00'} still on account`,
    bounced,
  ];
}
