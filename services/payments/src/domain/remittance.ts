/*
 * Reading a payer's remittance like a person (pure): the invoice numbers it names, shorthand included, and the reason
 * it gives for paying less.
 */
import type { ShortPaymentReasonCode } from '@arc/contracts';

const normalised = new Map<string, string>();
/** Upper case, letters and digits only; remembered (a customer's 10,000 invoice numbers are normalised once, not per receipt). */
export const normal = (s: string): string => {
  let n = normalised.get(s);
  if (n === undefined) {
    if (normalised.size >= 500_000) normalised.clear();
    n = s.toUpperCase().replace(/[^A-Z0-9]/g, '');
    normalised.set(s, n);
  }
  return n;
};

/**
 * The invoice numbers a payer's text names, as a person reads them: each word whole (compared whole, never as
 * a substring) and its parts at "/", and shorthand after a number, where "/124", ", 124", "and 124" replace the last
 * digits of the number before ("INV-2026-000123/124" names INV-2026-000123 and INV-2026-000124). Returned
 * normalised (upper case, letters and digits only), in the order written; candidates are looked up in it.
 */
export function referencedNumbers(texts: readonly string[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    let base: string | null = null; // the last full number read, which a shorthand completes
    for (const raw of text.split(/[\s,;]+/)) {
      const word = raw.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
      if (word === '') continue;
      if (/^(and|und|et|&|\+)$/i.test(word)) continue;
      // The whole word ("A-77/2026" may be one number), then its parts split at "/", "&" or "+".
      found.push(normal(word));
      for (const part of word.split(/[/&+]/)) {
        const key = normal(part);
        if (key === '') continue;
        if (/^\d+$/.test(key) && base !== null && key.length < base.length) {
          found.push(base.slice(0, base.length - key.length) + key); // shorthand: replaces the base's last digits
          found.push(key);
        } else {
          found.push(key);
          if (/\d/.test(key) && /[A-Z]/.test(key)) base = key;
        }
      }
    }
  }
  return found;
}

const REASON_WORDS: Array<[RegExp, ShortPaymentReasonCode]> = [
  [/damag|broken/i, 'damaged-goods'],
  [/not\s+deliver|non[-\s]?deliver|undelivered/i, 'not-delivered'],
  [/short\s*(ship|deliver)|missing|quantity|qty/i, 'quantity'],
  [/pric/i, 'pricing'],
  [/quality|defect|faulty/i, 'quality'],
  [/less\s+\d+([.,]\d+)?\s*%|discount|skonto/i, 'discount-disallowed'],
  [/deduct|withh[eo]ld|less\b/i, 'deduction'],
];

/** The reason a payer's words give for paying less, if they give one. */
export function shortPaymentReasonIn(texts: readonly string[]): { code: ShortPaymentReasonCode; text: string } | null {
  for (const text of texts) {
    for (const [pattern, code] of REASON_WORDS) if (pattern.test(text)) return { code, text: text.trim() };
  }
  return null;
}
