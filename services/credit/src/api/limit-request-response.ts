import { toJson } from '@arc/money';
import type { CustomerCreditAccount } from '../domain/customer-credit-account.decider';
import type { LimitRequestResponse } from './request-credit-limit/request-credit-limit.dto';

export function limitRequestOf(account: CustomerCreditAccount, requestId: string): LimitRequestResponse {
  const request = account.status === 'registered' ? account.limitRequests.get(requestId) : undefined;
  if (request === undefined) throw new Error(`limit request ${requestId} is not on the account`);
  return {
    requestId,
    status: request.status,
    requestedLimit: toJson(request.requestedLimit),
    temporaryUntil: request.temporaryUntil,
    requirement: { ...request.requirement },
    approvals: request.approvals.map((a) => ({ ...a })),
    rejection: request.rejection,
  };
}
