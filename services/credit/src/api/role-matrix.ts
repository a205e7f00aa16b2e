import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the credit service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  registerCustomer: ['sales'],
  requestCreditCheck: ['sales'],
  /** A check carrying an override (trading beyond the limit) needs one of these roles as well. */
  overrideCreditCheck: ['finance'],
  setCreditPolicy: ['finance'],
  releaseReservation: ['finance'],
  placeHold: ['finance', 'collections'],
  releaseHold: ['finance', 'collections'],
  readCreditStanding: ['risk', 'sales', 'finance', 'collections'],
  /** The scoring model and approval matrix in force: everyone who reads a standing may see why. */
  readCreditConfiguration: ['risk', 'sales', 'finance', 'collections'],
  manageScoringModel: ['risk'],
  manageApprovalMatrix: ['risk'],
  assessCustomer: ['finance'],
  requestCreditLimit: ['sales'],
  /** Within the approver's level (from the token); never the requester. */
  decideCreditLimit: ['finance'],
  manageCreditGroups: ['finance'],
  /** FX rates by pair and business date: finance sets them (by hand or an import). */
  recordFxRate: ['finance'],
  /** A periodic review re-rates the customer (finance assesses). */
  reviewCustomer: ['finance'],
  /** Contacts and evidence of the credit file: sales gathers them, finance too. */
  maintainCreditFile: ['sales', 'finance'],
});
