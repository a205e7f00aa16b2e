import { formatMajor, type Money } from '@arc/money';

/** `EUR 10,000.00`: the exact amount (from integer minor units, never a float), thousands grouped for reading. */
export function formatMoney(m: Money): string {
  const formatted = formatMajor(m);
  const negative = formatted.startsWith('-');
  const [whole = '', fraction] = (negative ? formatted.slice(1) : formatted).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m.currency} ${negative ? '-' : ''}${fraction === undefined ? grouped : `${grouped}.${fraction}`}`;
}
