import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the payments service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  recordPayment: ['finance'],
  readPaymentAccount: ['finance', 'collections', 'risk'],
});
