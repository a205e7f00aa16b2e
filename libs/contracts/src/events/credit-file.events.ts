import { Topics } from '../topics';
import { arrayOf, check, date, defineEvent, nullable, object, oneOf, text, uuid, type IsoDate, type Uuid } from './validation';

/*
 * The customer's credit file, topic arc.credit.events, stream `customer-<customerId>`: contacts and the
 * evidence an assessment rests on. Evidence is never deleted; a newer piece supersedes an older one, and
 * both stay visible.
 */

export interface CreditFileContact {
  name: string;
  role: string;
  email: string | null;
  phone: string | null;
}

/** The whole contact list as it now stands (the earlier list stays in the history). */
export interface CreditFileContactsSetData {
  customerId: Uuid;
  contacts: CreditFileContact[];
}

export const CreditFileContactsSet = defineEvent<CreditFileContactsSetData>()({
  type: 'CreditFileContactsSet',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    contacts: arrayOf(object<CreditFileContact>({ name: text, role: text, email: nullable(text), phone: nullable(text) })),
  },
});

export const EVIDENCE_KINDS = [
  'bureau-report',
  'financial-statements',
  'site-visit',
  'industry-reputation',
  'guarantee',
  'insurance-cover',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

const sha256 = check((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), 'a SHA-256 hash (64 lower-case hex digits)');

export interface CreditEvidenceAddedData {
  customerId: Uuid;
  evidenceId: Uuid;
  kind: EvidenceKind;
  /** Where the document is kept (report number, archive reference, URL). */
  reference: string;
  /** SHA-256 of the document, so a later copy can be shown to be the same. */
  documentHash: string | null;
  receivedOn: IsoDate;
  validUntil: IsoDate | null;
  /** The earlier piece of evidence this one replaces; it stays in the file, marked superseded. */
  supersedes: Uuid | null;
  /** `user:<sub>` of whoever added it. */
  addedBy: string;
}

export const CreditEvidenceAdded = defineEvent<CreditEvidenceAddedData>()({
  type: 'CreditEvidenceAdded',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    evidenceId: uuid,
    kind: oneOf(EVIDENCE_KINDS),
    reference: text,
    documentHash: nullable(sha256),
    receivedOn: date,
    validUntil: nullable(date),
    supersedes: nullable(uuid),
    addedBy: text,
  },
  rules: (data, problems) => {
    if (data.validUntil !== null && data.validUntil < data.receivedOn) problems.push('validUntil must not be before receivedOn');
    if (data.supersedes === data.evidenceId) problems.push('a piece of evidence cannot supersede itself');
  },
});
