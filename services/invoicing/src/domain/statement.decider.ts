/*
 * Statement of account (stream `statement-<statementId>`): a customer's ledger movements for a period with
 * opening and closing balance, issued at the close of each month's last day or on demand, and the customer's
 * answer: a confirmation, or an objection naming the items it contests (each opens a dispute on its invoice,
 * in the same request, see the API). Pure.
 */
import type { BusinessDate } from '@arc/clock';
import {
  InvoicingEvents,
  validated,
  type StatementConfirmedData,
  type StatementIssuedData,
  type StatementItem,
  type StatementObjectedData,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { toJson, type Money } from '@arc/money';
import { InvoicingDomainError } from './invoice.errors';

export const statementStreamId = (statementId: string): string => `statement-${statementId}`;

export type StatementEvent =
  | { type: 'StatementIssued'; data: StatementIssuedData }
  | { type: 'StatementConfirmed'; data: StatementConfirmedData }
  | { type: 'StatementObjected'; data: StatementObjectedData };

export type StatementCommand =
  | {
      type: 'IssueStatement';
      data: {
        statementId: string;
        customerId: string;
        currency: string;
        periodFrom: BusinessDate;
        periodTo: BusinessDate;
        openingBalance: Money;
        items: StatementItem[];
        issuedOn: BusinessDate;
        trigger: 'month-end' | 'on-demand';
      };
    }
  | { type: 'ConfirmStatement'; data: { confirmedOn: BusinessDate; confirmedBy: string } }
  | {
      type: 'ObjectToStatement';
      data: {
        objectedOn: BusinessDate;
        objectedBy: string;
        note: string;
        items: Array<{ invoiceId: string; amount: Money; note: string; disputeId: string | null }>;
      };
    };

export type Statement =
  | { status: 'none' }
  | {
      status: 'issued' | 'confirmed' | 'objected';
      statement: StatementIssuedData;
      answer: StatementConfirmedData | StatementObjectedData | null;
    };

export class StatementNotIssuedError extends InvoicingDomainError {
  override readonly name = 'StatementNotIssuedError';
  readonly code = 'STATEMENT_NOT_FOUND';
  readonly category = 'not-found';
  constructor() {
    super('no such statement was issued');
  }
}

export class StatementAlreadyAnsweredError extends InvoicingDomainError {
  override readonly name = 'StatementAlreadyAnsweredError';
  readonly code = 'STATEMENT_ALREADY_ANSWERED';
  readonly category = 'state-conflict';
  constructor(readonly status: string) {
    super(`the customer has already ${status} this statement`);
  }
}

export class ObjectionNotOnStatementError extends InvoicingDomainError {
  override readonly name = 'ObjectionNotOnStatementError';
  readonly code = 'OBJECTION_ITEM_NOT_ON_STATEMENT';
  readonly category = 'invalid-request';
  constructor(readonly invoiceId: string) {
    super(`invoice ${invoiceId} has no item on this statement`);
  }
}

function decide(command: StatementCommand, state: Statement): StatementEvent[] {
  switch (command.type) {
    case 'IssueStatement': {
      if (state.status !== 'none') return [];
      const d = command.data;
      const closing = d.items.reduce((total, item) => total + BigInt(item.amount.amountMinor), d.openingBalance.amountMinor);
      return [
        {
          type: 'StatementIssued',
          data: {
            statementId: d.statementId,
            customerId: d.customerId,
            currency: d.currency,
            periodFrom: d.periodFrom,
            periodTo: d.periodTo,
            openingBalance: toJson(d.openingBalance),
            items: d.items,
            closingBalance: { amountMinor: closing.toString(), currency: d.currency },
            issuedOn: d.issuedOn,
            trigger: d.trigger,
          },
        },
      ];
    }
    case 'ConfirmStatement': {
      if (state.status === 'none') throw new StatementNotIssuedError();
      if (state.status === 'confirmed') return [];
      if (state.status === 'objected') throw new StatementAlreadyAnsweredError(state.status);
      const { statementId, customerId } = state.statement;
      return [{ type: 'StatementConfirmed', data: { statementId, customerId, ...command.data } }];
    }
    case 'ObjectToStatement': {
      if (state.status === 'none') throw new StatementNotIssuedError();
      if (state.status === 'objected') return [];
      if (state.status === 'confirmed') throw new StatementAlreadyAnsweredError(state.status);
      const onStatement = new Set(state.statement.items.map((item) => item.invoiceId));
      for (const item of command.data.items) if (!onStatement.has(item.invoiceId)) throw new ObjectionNotOnStatementError(item.invoiceId);
      const { statementId, customerId } = state.statement;
      const { objectedOn, objectedBy, note, items } = command.data;
      return [
        {
          type: 'StatementObjected',
          data: {
            statementId,
            customerId,
            objectedOn,
            objectedBy,
            note,
            items: items.map((item) => ({
              invoiceId: item.invoiceId,
              amount: toJson(item.amount),
              note: item.note,
              disputeId: item.disputeId,
            })),
          },
        },
      ];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

export const statementDecider: Decider<StatementCommand, StatementEvent, Statement> = {
  initialState: { status: 'none' },
  decide: (command, state) => validated<StatementEvent>(InvoicingEvents, decide(command, state)),
  evolve(state, event) {
    switch (event.type) {
      case 'StatementIssued':
        return { status: 'issued', statement: event.data, answer: null };
      case 'StatementConfirmed':
        return state.status === 'none' ? state : { ...state, status: 'confirmed', answer: event.data };
      case 'StatementObjected':
        return state.status === 'none' ? state : { ...state, status: 'objected', answer: event.data };
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${(unknown as { type: string }).type}`);
      }
    }
  },
  schemaVersions: { StatementIssued: 1, StatementConfirmed: 1, StatementObjected: 1 },
};
