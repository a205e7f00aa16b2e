import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the payments service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  /** Receipts, and each customer's payment settings. */
  recordPayment: ['finance'],
  readPaymentAccount: ['finance', 'collections', 'risk'],
  /** Unapplied cash applied to chosen invoices; short payments explained. */
  applyCash: ['finance'],
  refund: ['finance'],
  reverse: ['finance'],
  /** Bank statements imported, payer accounts mapped, suspense receipts assigned. */
  importStatements: ['finance'],
  readStatements: ['finance', 'collections', 'risk'],
});
