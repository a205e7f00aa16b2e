import type { DomainErrorMapping } from '@arc/platform';
import { CreditDomainError, type DomainErrorCategory } from '../domain/customer-credit-account.errors';

const STATUS: Record<DomainErrorCategory, number> = { 'state-conflict': 409, 'invalid-request': 422 };

/**
 * Every refusal of the credit domain as problem+json: `state-conflict` → 409, `invalid-request` → 422,
 * type `urn:arc:problem:credit:<code>` and the stable `code` as an extension member.
 */
export const creditProblemMappings: DomainErrorMapping[] = (Object.keys(STATUS) as DomainErrorCategory[]).map((category) => ({
  matches: (error: unknown) => error instanceof CreditDomainError && error.category === category,
  toProblem: (error: unknown) => {
    const e = error as CreditDomainError;
    return {
      status: STATUS[category],
      type: `urn:arc:problem:credit:${e.code.toLowerCase().replace(/_/g, '-')}`,
      title: category === 'state-conflict' ? 'Refused by the account state' : 'Refused by the credit rules',
      detail: e.message,
      code: e.code,
    };
  },
}));
