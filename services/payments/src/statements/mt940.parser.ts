/*
 * SWIFT MT940, read by a small line tokenizer of our own. Why not a library: the one maintained-looking npm parser
 * (mt940-js 1.0.0) returns amounts as JavaScript numbers (ARC never lets money be a float), does not read the
 * structured :86: subfields (?20–?29 remittance, ?31 payer IBAN, ?32–?33 payer name), and fails to load as
 * published (it requires tslib without declaring it). The format is line-based and small: tags `:NN[a]:` start a
 * field, other lines continue it, `-` ends a statement; SWIFT block headers (`{1:…}{4:`) are skipped.
 *
 * Read: :25: our account (an IBAN, possibly followed by "/currency"), :60F:/:60M: the currency, each :61: an entry
 * (value date YYMMDD, optional entry date MMDD, C/D/RC/RD, optional funds code, amount with a decimal comma,
 * transaction type, customer reference, "//" bank reference), the :86: after it its details.
 */
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import { normalIban, parseAmount, type StatementEntry, type StatementItem, type StatementParser } from './statement-entry';

const LINE_61 = /^(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(RC|RD|C|D)([A-Z])?(\d{1,12},\d{0,3})([A-Z][A-Z0-9]{3})([^/\n]*)(?:\/\/([^\n]*))?/;

interface Pending {
  tag: string;
  content: string;
  line: number;
}

function date(yy: string, mm: string, dd: string): BusinessDate | null {
  try {
    return parseBusinessDate(`20${yy}-${mm}-${dd}`);
  } catch {
    return null;
  }
}

/** The :86: details: structured "?NN" subfields (German banks), else the whole text as remittance. */
export function details86(text: string): { remittance: string[]; payerName: string | null; payerIban: string | null } {
  const flat = text.replace(/\r?\n/g, '');
  if (!/^\d{3}\?/.test(flat) && !flat.includes('?20'))
    return { remittance: flat.trim() === '' ? [] : [flat.trim()], payerName: null, payerIban: null };
  const fields = new Map<string, string>();
  for (const match of flat.matchAll(/\?(\d{2})([^?]*)/g)) {
    const key = match[1] as string;
    fields.set(key, (fields.get(key) ?? '') + (match[2] ?? ''));
  }
  const pick = (keys: string[]) =>
    keys
      .map((k) => fields.get(k))
      .filter((v): v is string => v !== undefined && v.trim() !== '')
      .join('');
  const remittanceText = pick(['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63']);
  return {
    remittance: remittanceText.trim() === '' ? [] : [remittanceText.trim()],
    payerName: pick(['32', '33']).trim() || null,
    payerIban: normalIban(fields.get('31') ?? null),
  };
}

export const mt940Parser: StatementParser = async function* parse(source) {
  let buffered = '';
  let lineNo = 0;
  let pending: Pending | null = null;
  let accountIban: string | null = null;
  let currency: string | null = null;
  let index = 0;
  let entry: { draft: StatementEntry | null; line: number } | null = null;
  const out: StatementItem[] = [];

  const closeEntry = () => {
    if (entry?.draft) out.push({ kind: 'entry', entry: entry.draft });
    entry = null;
  };

  const field = (p: Pending) => {
    const { tag, content, line } = p;
    if (tag === '25') {
      accountIban = normalIban(content.split('/')[0] ?? null);
    } else if (tag === '60F' || tag === '60M') {
      const match = /^[CD]\d{6}([A-Z]{3})/.exec(content);
      currency = match?.[1] ?? null;
      if (currency === null)
        out.push({
          kind: 'problem',
          problem: { entry: null, line, reason: `:${tag}: opening balance without a currency ('${content}')` },
          fatal: false,
        });
    } else if (tag === '61') {
      closeEntry();
      index += 1;
      const m = LINE_61.exec(content);
      const reasons: string[] = [];
      if (m === null)
        reasons.push(`:61: is not "YYMMDD[MMDD]C|D amount,decimals type reference[//bank reference]" ('${content.split('\n')[0]}')`);
      if (currency === null) reasons.push('no currency: the statement has no :60F: opening balance before its entries');
      if (m === null || currency === null) {
        out.push({ kind: 'problem', problem: { entry: index, line, reason: reasons.join('; ') }, fatal: false });
        entry = { draft: null, line };
        return;
      }
      const [, yy = '', vm = '', vd = '', em, ed, mark = '', , amountText = '', , , bankRef] = m;
      const valueDate = date(yy, vm, vd);
      // The entry (booking) date has no year: the value date's, or the next/previous one across a year end.
      let bookingDate: BusinessDate | null = valueDate;
      if (em !== undefined && ed !== undefined && valueDate !== null) {
        let year = Number(yy);
        if (vm === '12' && em === '01') year += 1;
        if (vm === '01' && em === '12') year -= 1;
        bookingDate = date(String(year).padStart(2, '0'), em, ed);
      }
      const amount = parseAmount(amountText.replace(',', '.'), currency);
      if (bookingDate === null || amount === null || amount.amountMinor <= 0n) {
        const why =
          bookingDate === null
            ? `the date in '${content.slice(0, 10)}' is not a date`
            : `the amount '${amountText}' is not a positive amount`;
        out.push({ kind: 'problem', problem: { entry: index, line, reason: why }, fatal: false });
        entry = { draft: null, line };
        return;
      }
      const credit = mark === 'C' || mark === 'RD'; // a reversed debit is money in
      entry = {
        line,
        draft: {
          index,
          line,
          accountIban,
          bookingDate,
          amount,
          direction: credit ? 'credit' : 'debit',
          bankReference: bankRef?.trim() || null,
          payerIban: null,
          payerName: null,
          remittance: [],
        },
      };
    } else if (tag === '86') {
      const current = entry as { draft: StatementEntry | null; line: number } | null;
      if (current?.draft) {
        const d = details86(content);
        current.draft.remittance.push(...d.remittance);
        current.draft.payerIban = d.payerIban;
        current.draft.payerName = d.payerName;
      }
    } else if (tag === '62F' || tag === '62M') {
      closeEntry();
    }
  };

  const line = (raw: string) => {
    lineNo += 1;
    const text = raw.replace(/\r$/, '');
    if (text.startsWith('{') || text.trim() === '') return;
    const tagged = /^:(\d{2}[A-Z]?):(.*)$/.exec(text);
    if (tagged !== null) {
      if (pending) field(pending);
      pending = { tag: tagged[1] as string, content: tagged[2] ?? '', line: lineNo };
    } else if (/^-}?$/.test(text.trim())) {
      if (pending) field(pending);
      pending = null;
      closeEntry();
      currency = null;
    } else if (pending) {
      pending.content += `\n${text}`;
    } else {
      out.push({
        kind: 'problem',
        problem: { entry: null, line: lineNo, reason: `not MT940: a line outside any :NN: field ('${text.slice(0, 40)}')` },
        fatal: true,
      });
    }
  };

  let sawField = false;
  for await (const piece of source) {
    buffered += piece;
    let start = 0;
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n', start)) {
      line(buffered.slice(start, at));
      start = at + 1;
    }
    buffered = buffered.slice(start);
    sawField ||= pending !== null || index > 0;
    while (out.length > 0) {
      const item = out.shift() as StatementItem;
      yield item;
      if (item.kind === 'problem' && item.fatal) return;
    }
  }
  if (buffered !== '') line(buffered);
  if (pending) field(pending);
  closeEntry();
  sawField ||= index > 0;
  if (!sawField && out.length === 0)
    out.push({ kind: 'problem', problem: { entry: null, line: null, reason: 'not MT940: no :NN: field in the file' }, fatal: true });
  while (out.length > 0) yield out.shift() as StatementItem;
};
