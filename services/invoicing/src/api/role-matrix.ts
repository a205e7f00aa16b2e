import { defineRoleMatrix } from '@arc/auth';

/** Who may do what in the invoicing service (admin passes every route). The whole policy, in one place. */
export const ROLE_MATRIX = defineRoleMatrix({
  issueInvoice: ['finance'],
  issueCreditNote: ['finance'],
  readInvoice: ['finance', 'sales', 'collections', 'risk'],
  /** Start the business calendar and close business days (finance's AR accounting closes the day). */
  closeBusinessDays: ['finance'],
  readCalendar: ['finance', 'sales', 'collections', 'legal', 'risk'],
});
