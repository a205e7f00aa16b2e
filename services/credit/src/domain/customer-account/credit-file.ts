/* The credit file: contacts and evidence. Evidence is never removed; a newer piece supersedes an older one. */
import type { CustomerAccountEvent } from '@arc/contracts';
import { EvidenceAlreadySupersededError, EvidenceIdTakenError } from '../customer-credit-account.errors';
import { UnknownEvidenceError } from './limit-request.errors';
import type { AddEvidence, SetCreditFileContacts } from './commands';
import { registered } from './guards';
import type { CustomerCreditAccount } from './state';

export function setCreditFileContacts(command: SetCreditFileContacts, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const contacts = command.data.contacts.map((c) => ({ name: c.name, role: c.role, email: c.email, phone: c.phone }));
  if (
    JSON.stringify(contacts) ===
    JSON.stringify(account.contacts.map((c) => ({ name: c.name, role: c.role, email: c.email, phone: c.phone })))
  ) {
    return [];
  }
  return [{ type: 'CreditFileContactsSet', data: { customerId: account.customer.customerId, contacts } }];
}

export function addEvidence(command: AddEvidence, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const piece = command.data;
  const existing = account.evidence.get(piece.evidenceId);
  if (existing !== undefined) {
    const same = (['kind', 'reference', 'documentHash', 'receivedOn', 'validUntil', 'supersedes'] as const).every(
      (k) => existing[k] === piece[k],
    );
    if (same) return [];
    throw new EvidenceIdTakenError(piece.evidenceId);
  }
  if (piece.supersedes !== null) {
    const older = account.evidence.get(piece.supersedes);
    if (older === undefined) throw new UnknownEvidenceError([piece.supersedes]);
    if (older.supersededBy !== null) throw new EvidenceAlreadySupersededError(older.evidenceId, older.supersededBy);
  }
  return [{ type: 'CreditEvidenceAdded', data: { customerId: account.customer.customerId, ...piece } }];
}
