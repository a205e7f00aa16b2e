import { Inject, Injectable } from '@nestjs/common';
import { endOfMonth, startOfMonth, type BusinessDate } from '@arc/clock';
import type { StatementIssuedData, StatementItemKind } from '@arc/contracts';
import { eventIdFor } from '@arc/decider';
import { type Cell, type DocumentSpec, renderPdf } from '@arc/documents';
import { money, parseMoney } from '@arc/money';
import { Commands } from '@arc/platform';
import { statementDecider, statementStreamId, type Statement } from '../domain/statement.decider';
import { ReceivablesView } from '../views/receivables.view';

/** The statement id of a period's statement for one account: the same on every close and replay (idempotent). */
export function statementIdFor(customerId: string, currency: string, periodFrom: string, periodTo: string, trigger: string): string {
  return eventIdFor(`statement:${customerId}:${currency}:${periodFrom}:${periodTo}:${trigger}`, 0);
}

/** The calendar month a closed day ends, or null when it is not a month's last day. */
export function monthEnded(day: BusinessDate): { from: BusinessDate; to: BusinessDate } | null {
  return endOfMonth(day) === day ? { from: startOfMonth(day), to: day } : null;
}

/**
 * Statements of account: built from the ledger movements view (opening = Σ movements before the period, items =
 * the period's movements, closing = opening + Σ items, which is the customer's open balance by the ledger when
 * nothing later has moved), issued as StatementIssued, rendered as PDF with @arc/documents.
 */
@Injectable()
export class Statements {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ReceivablesView) private readonly view: ReceivablesView,
  ) {}

  async issue(request: {
    customerId: string;
    currency: string;
    periodFrom: BusinessDate;
    periodTo: BusinessDate;
    issuedOn: BusinessDate;
    trigger: 'month-end' | 'on-demand';
    actor: string;
    commandId?: string;
  }): Promise<StatementIssuedData> {
    const { customerId, currency, periodFrom, periodTo, issuedOn, trigger, actor } = request;
    const statementId = statementIdFor(customerId, currency, periodFrom, periodTo, trigger);
    const opening = await this.view.balanceBefore(customerId, currency, periodFrom);
    const movements = await this.view.movements(customerId, currency, periodFrom, periodTo);
    const { newState } = await this.commands.execute(statementDecider, {
      streamId: statementStreamId(statementId),
      command: {
        type: 'IssueStatement',
        data: {
          statementId,
          customerId,
          currency,
          periodFrom,
          periodTo,
          openingBalance: money(opening, currency),
          items: movements.map((m) => ({
            kind: m.kind as StatementItemKind,
            date: m.date,
            invoiceId: m.invoiceId,
            reference: m.reference,
            amount: { amountMinor: m.amountMinor.toString(), currency },
          })),
          issuedOn,
          trigger,
        },
      },
      commandId: request.commandId ?? `statement:${statementId}`,
      customerId,
      actor,
      occurredAt: new Date().toISOString(),
    });
    if (newState.status === 'none') throw new Error('the statement was not issued');
    return newState.statement;
  }

  async load(statementId: string): Promise<Statement> {
    return (await this.commands.state(statementDecider, statementStreamId(statementId))).state;
  }
}

const KIND_LABEL: Record<string, string> = {
  invoice: 'Invoice',
  'debit-note': 'Debit note',
  'credit-note': 'Credit note',
  payment: 'Payment',
  'payment-reversal': 'Payment reversed',
  discount: 'Early-payment discount',
  'discount-withdrawn': 'Discount withdrawn',
  cancellation: 'Invoice cancelled',
  'write-off': 'Written off',
  recovery: 'Recovery',
};

/** The statement as the PDF the customer receives: every movement, opening and closing balance. */
export function statementPdf(statement: StatementIssuedData, to: { name: string; lines: string[] } | null = null): Promise<Buffer> {
  const amount = (json: { amountMinor: string; currency: string }) => parseMoney(json, 'amount', { bound: 'figure' });
  const rows: Cell[][] = statement.items.map((item) => [
    item.date,
    KIND_LABEL[item.kind] ?? item.kind,
    item.reference,
    amount(item.amount),
  ]);
  const spec: DocumentSpec = {
    title: 'Statement of account',
    date: statement.issuedOn,
    reference: `Statement ${statement.statementId}`,
    to: to ?? { name: `Customer ${statement.customerId}`, lines: [] },
    paragraphs: [
      `Period ${statement.periodFrom} to ${statement.periodTo}, in ${statement.currency}.`,
      `Opening balance on ${statement.periodFrom}: see below. Please confirm this statement or tell us which items you object to.`,
    ],
    table: {
      columns: [
        { header: 'Date', kind: 'text', weight: 1 },
        { header: 'Movement', kind: 'text', weight: 1.3 },
        { header: 'Reference', kind: 'text', weight: 2.2 },
        { header: 'Amount', kind: 'money', weight: 1.3 },
      ],
      rows,
    },
    totals: [
      { label: 'Opening balance', amount: amount(statement.openingBalance) },
      { label: 'Closing balance', amount: amount(statement.closingBalance) },
    ],
    closing: [`Balance due as of ${statement.periodTo}: the closing balance above.`],
    footer: `ARC statement ${statement.statementId} · issued ${statement.issuedOn} (${statement.trigger})`,
  };
  return renderPdf(spec);
}
