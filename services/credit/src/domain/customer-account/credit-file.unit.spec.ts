import type { BusinessDate } from '@arc/clock';
import type { CustomerAccountEvent } from '@arc/contracts';
import { EvidenceAlreadySupersededError } from '../customer-credit-account.errors';
import type { AddEvidence } from './commands';
import { UnknownEvidenceError } from './limit-request.errors';
import { CUSTOMER, givenAccount, registered, stateAfter } from './testing/fixtures';

const OLD = 'e0e0e0e0-0000-4000-8000-000000000001';
const NEW = 'e0e0e0e0-0000-4000-8000-000000000002';
const NEWER = 'e0e0e0e0-0000-4000-8000-000000000003';

const piece = (evidenceId: string, supersedes: string | null = null): AddEvidence['data'] => ({
  evidenceId,
  kind: 'bureau-report',
  reference: `CRIF ${evidenceId.slice(-3)}`,
  documentHash: null,
  receivedOn: '2026-01-04' as BusinessDate,
  validUntil: '2027-01-04' as BusinessDate,
  supersedes,
  addedBy: 'user:fiona',
});
const added = (evidenceId: string, supersedes: string | null = null): CustomerAccountEvent => ({
  type: 'CreditEvidenceAdded',
  data: { customerId: CUSTOMER, ...piece(evidenceId, supersedes) },
});

describe('credit file', () => {
  it('adds evidence with who added it', () => {
    givenAccount([registered])
      .when({ type: 'AddEvidence', data: piece(OLD) })
      .then([added(OLD)]);
  });

  it('keeps superseded evidence visible, marked with what replaced it', () => {
    givenAccount([registered, added(OLD)])
      .when({ type: 'AddEvidence', data: piece(NEW, OLD) })
      .then([added(NEW, OLD)]);
    const state = stateAfter([registered, added(OLD), added(NEW, OLD)]);
    expect(state.status === 'registered' && [...state.evidence.values()].map((e) => [e.evidenceId, e.supersededBy])).toEqual([
      [OLD, NEW],
      [NEW, null],
    ]);
  });

  it('refuses superseding evidence twice or evidence it does not hold', () => {
    givenAccount([registered, added(OLD), added(NEW, OLD)])
      .when({ type: 'AddEvidence', data: piece(NEWER, OLD) })
      .thenThrows(EvidenceAlreadySupersededError);
    givenAccount([registered])
      .when({ type: 'AddEvidence', data: piece(NEW, OLD) })
      .thenThrows(UnknownEvidenceError);
  });

  it('treats the same evidence again as a repeat', () => {
    givenAccount([registered, added(OLD)])
      .when({ type: 'AddEvidence', data: piece(OLD) })
      .thenNothingHappens();
  });

  it('replaces the contact list, and records nothing for the same list', () => {
    const contacts = [{ name: 'Eva Weber', role: 'CFO', email: 'eva.weber@example.com', phone: null }];
    const set: CustomerAccountEvent = { type: 'CreditFileContactsSet', data: { customerId: CUSTOMER, contacts } };
    givenAccount([registered]).when({ type: 'SetCreditFileContacts', data: { contacts } }).then([set]);
    givenAccount([registered, set]).when({ type: 'SetCreditFileContacts', data: { contacts } }).thenNothingHappens();
  });
});
