import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the collections service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  readCases: ['collections', 'finance', 'risk', 'legal'],
  /** Dunning strategies per credit class and per customer: collections configures them, others may read why a customer was chased. */
  manageStrategies: ['collections'],
  readStrategies: ['collections', 'finance', 'risk', 'legal'],
  /** Running the dunning of a day on demand, or dry (nothing appended). */
  runDunning: ['collections'],
  /** The outbox (what was sent, what failed) and putting a failed delivery back in the queue. */
  readOutbox: ['collections'],
  /** The dunning letters (PDF): collections sends them, legal and finance may need the copy. */
  readLetters: ['collections', 'legal', 'finance'],
  retryDelivery: ['collections'],
  /** Promises to pay and repayment plans agreed with the customer. */
  recordArrangements: ['collections'],
  readArrangements: ['collections', 'finance', 'risk', 'legal'],
  /** Handing a customer over to legal: collections escalates, legal may take it up itself. */
  handOverToLegal: ['collections', 'legal'],
  /** Lawyer letters, agencies, proceedings, judgment, outcome, acknowledgements: legal only. */
  recordLegalSteps: ['legal'],
  readLegal: ['collections', 'legal', 'finance'],
  readWorklist: ['collections'],
  reassignCases: ['collections'],
  logActivities: ['collections', 'legal'],
});
