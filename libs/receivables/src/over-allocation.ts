/*
 * Who gives the excess back. When allocations exceed what an invoice was charged, the owner of the invoice
 * balance (invoicing) asks for the excess to go back on account, naming the payments it came from: the
 * latest allocations first (the ones decided on the stalest view), never more from a payment than that
 * payment has allocated to the invoice and not yet been asked to give back.
 */
import { isPositive, min, money, subtract, zero, type Money } from '@arc/money';

export interface PaymentShare {
  paymentId: string;
  /** Σ this payment's allocations to the invoice, net of reductions recorded. */
  allocated: Money;
  /** What the invoice has asked this payment to give back and has not seen given back yet. */
  returnRequested: Money;
}

export interface ExcessReturn {
  paymentId: string;
  amount: Money;
}

/**
 * Splits `unrequestedExcess` over the payments, latest first (`shares` in allocation order, oldest first).
 * The parts add up to the excess unless the shares cannot cover it (then as much as they can).
 */
export function excessReturns(unrequestedExcess: Money, shares: readonly PaymentShare[]): ExcessReturn[] {
  const returns: ExcessReturn[] = [];
  let left = unrequestedExcess;
  for (const share of [...shares].reverse()) {
    if (!isPositive(left)) break;
    const available = subtract(share.allocated, share.returnRequested);
    if (!isPositive(available)) continue;
    const amount = min(left, available);
    returns.push({ paymentId: share.paymentId, amount });
    left = subtract(left, amount);
  }
  return returns;
}

/** Σ of the returns still awaited, in a currency. */
export function awaitedReturns(shares: readonly PaymentShare[], currency: string): Money {
  return shares.reduce((total, s) => money(total.amountMinor + s.returnRequested.amountMinor, currency), zero(currency));
}
