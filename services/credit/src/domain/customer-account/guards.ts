import type { Money, CurrencyCode } from '@arc/money';
import { CurrencyMismatchError, CustomerNotRegisteredError } from '../customer-credit-account.errors';
import { NoCreditPolicyError } from './limit-request.errors';
import type { CreditPolicy, CustomerCreditAccount, RegisteredAccount } from './state';

export function registered(account: CustomerCreditAccount, command: string): RegisteredAccount {
  if (account.status !== 'registered') throw new CustomerNotRegisteredError(command);
  return account;
}

export function withPolicy(account: CustomerCreditAccount, command: string): RegisteredAccount & { policy: CreditPolicy } {
  const customer = registered(account, command);
  if (customer.policy === null) throw new NoCreditPolicyError(command);
  return customer as RegisteredAccount & { policy: CreditPolicy };
}

export function requireCurrency(field: string, amount: Money, currency: CurrencyCode | string): void {
  if (amount.currency !== currency) throw new CurrencyMismatchError(currency, amount.currency, field, "the customer's currency");
}
