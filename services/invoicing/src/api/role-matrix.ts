import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the invoicing service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  issueInvoice: ['finance'],
  issueCreditNote: ['finance'],
  readInvoice: ['finance', 'sales', 'collections', 'risk'],
  /** Start the business calendar and close business days (finance's AR accounting closes the day). */
  closeBusinessDays: ['finance'],
  readCalendar: ['finance', 'sales', 'collections', 'legal', 'risk'],
  cancelInvoice: ['finance'],
  issueDebitNote: ['finance'],
  raiseDispute: ['sales', 'finance', 'collections'],
  /** Accepting issues a credit note: finance's call, as for any credit note. */
  resolveDispute: ['finance'],
  requestWriteOff: ['collections', 'finance'],
  approveWriteOff: ['finance'],
  signOffWriteOff: ['legal'],
  rejectWriteOff: ['finance', 'legal'],
  /** Customer contracts: agreed by finance with legal; read by the departments that work the receivable. */
  agreeContract: ['finance', 'legal'],
  readContract: ['finance', 'sales', 'collections', 'legal', 'risk'],
  setReferenceRate: ['finance'],
  readReferenceRates: ['finance', 'sales', 'collections', 'legal', 'risk'],
  /** Statements: issued on demand by finance, read by the departments facing the customer. */
  issueStatement: ['finance'],
  readStatement: ['finance', 'sales', 'collections', 'legal'],
  /** Recording the customer's answer (confirmation, objection) as it reaches finance or sales. */
  answerStatement: ['finance', 'sales'],
});
