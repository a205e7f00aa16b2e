import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the risk-alert service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  manageAlertRules: ['risk'],
  readAlertRules: ['risk', 'finance', 'collections'],
  readAlerts: ['risk', 'finance', 'collections', 'sales'],
  acknowledgeAlert: ['risk'],
  manageSubscriptions: ['risk'],
  readSubscriptions: ['risk', 'finance', 'collections', 'sales'],
  readDeliveries: ['risk'],
  retryDelivery: ['risk'],
  runBacktest: ['risk'],
});
