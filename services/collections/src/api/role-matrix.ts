import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the collections service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  readCases: ['collections', 'finance', 'risk', 'legal'],
});
