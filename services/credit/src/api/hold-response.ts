import type { CustomerCreditAccount } from '../domain/customer-credit-account.decider';

export interface HoldResponse {
  customerId: string;
  onHold: boolean;
  hold: { source: string; reason: string } | null;
}

export function holdOf(customerId: string, account: CustomerCreditAccount): HoldResponse {
  const hold = account.status === 'registered' ? account.hold : null;
  return { customerId, onHold: hold !== null, hold: hold === null ? null : { source: hold.source, reason: hold.reason } };
}
