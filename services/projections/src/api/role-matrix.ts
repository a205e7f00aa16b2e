import { defineRoleMatrix } from '@arc/auth';

/** Who may read what in the projections service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  readExposure: ['finance', 'sales', 'collections', 'risk'],
  readAging: ['finance', 'sales', 'collections', 'risk'],
  readLedger: ['finance', 'sales', 'collections', 'risk'],
  readBusinessDate: ['finance', 'sales', 'collections', 'risk'],
  readBucketSets: ['finance', 'sales', 'collections', 'risk'],
  configureBucketSets: ['finance', 'risk'],
  readKpis: ['finance', 'risk'],
  readPaymentBehaviour: ['finance', 'sales', 'collections', 'risk'],
  readPortfolio: ['finance', 'collections', 'risk'],
});
