/*
 * The streams of bank statements that are not a customer's account (pure):
 * - `suspense-<suspenseId>`: a receipt no IBAN mapping or invoice number tied to a customer, until finance assigns it;
 * - `payer-account-<IBAN>`: which customer pays from that account;
 * - `bank-statement-<statementId>`: a statement imported to the end (once).
 */
import {
  PaymentsEvents,
  schemaVersionsOf,
  validated,
  type BankStatementImportedData,
  type PaymentsEvent,
  type SuspenseReceiptRecordedData,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { SuspenseReceiptAssignedError, SuspenseReceiptNotFoundError } from './payment-account.errors';

export const suspenseStreamId = (suspenseId: string): string => `suspense-${suspenseId}`;
export const payerAccountStreamId = (iban: string): string => `payer-account-${iban}`;
export const bankStatementStreamId = (statementId: string): string => `bank-statement-${statementId}`;

export type BankStreamCommand =
  | { type: 'RecordSuspenseReceipt'; data: SuspenseReceiptRecordedData }
  | { type: 'AssignSuspenseReceipt'; data: { suspenseId: string; customerId: string; paymentId: string; assignedOn: string } }
  | { type: 'MapPayerAccount'; data: { iban: string; customerId: string } }
  | { type: 'CompleteStatementImport'; data: BankStatementImportedData };

export type BankStream =
  | { kind: 'empty' }
  | { kind: 'suspense'; receipt: SuspenseReceiptRecordedData; assignedTo: string | null }
  | { kind: 'payer-account'; customerId: string }
  | { kind: 'statement' };

function decideCommand(command: BankStreamCommand, state: BankStream): PaymentsEvent[] {
  switch (command.type) {
    case 'RecordSuspenseReceipt':
      return state.kind === 'empty' ? [{ type: 'SuspenseReceiptRecorded', data: command.data }] : [];
    case 'AssignSuspenseReceipt': {
      if (state.kind !== 'suspense') throw new SuspenseReceiptNotFoundError(command.data.suspenseId);
      if (state.assignedTo !== null) {
        if (state.assignedTo === command.data.customerId) return [];
        throw new SuspenseReceiptAssignedError(command.data.suspenseId, state.assignedTo);
      }
      return [{ type: 'SuspenseReceiptAssigned', data: command.data }];
    }
    case 'MapPayerAccount':
      return state.kind === 'payer-account' && state.customerId === command.data.customerId
        ? []
        : [{ type: 'PayerAccountMapped', data: command.data }];
    case 'CompleteStatementImport':
      return state.kind === 'statement' ? [] : [{ type: 'BankStatementImported', data: command.data }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

export function evolveBankStream(state: BankStream, event: PaymentsEvent): BankStream {
  switch (event.type) {
    case 'SuspenseReceiptRecorded':
      return { kind: 'suspense', receipt: event.data, assignedTo: null };
    case 'SuspenseReceiptAssigned':
      return state.kind === 'suspense' ? { ...state, assignedTo: event.data.customerId } : state;
    case 'PayerAccountMapped':
      return { kind: 'payer-account', customerId: event.data.customerId };
    case 'BankStatementImported':
      return { kind: 'statement' };
    default:
      // Customer-account events never reach these streams.
      return state;
  }
}

export const bankStreamDecider: Decider<BankStreamCommand, PaymentsEvent, BankStream> = {
  initialState: { kind: 'empty' },
  decide: (command, state) => validated(PaymentsEvents, decideCommand(command, state)),
  evolve: evolveBankStream,
  schemaVersions: schemaVersionsOf(PaymentsEvents),
};
