/*
 * CSV bank exports, read with csv-parse (streaming; quoting, BOM, embedded delimiters and line breaks handled by
 * it) under a column mapping the caller gives: which header names the booking date, the amount, and optionally
 * the currency, credit/debit indicator, bank reference, payer IBAN and name, remittance columns and our account.
 */
import { parse as csvParse } from 'csv-parse';
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import { normalIban, parseAmount, type CsvOptions, type StatementItem, type StatementParser } from './statement-entry';

function readDate(text: string, format: NonNullable<CsvOptions['dateFormat']>): BusinessDate | null {
  const t = text.trim();
  const m =
    format === 'YYYY-MM-DD'
      ? /^(\d{4})-(\d{2})-(\d{2})/.exec(t)
      : format === 'DD.MM.YYYY'
        ? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(t)
        : /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  if (m === null) return null;
  const [a = '', b = '', c = ''] = m.slice(1);
  const iso = format === 'YYYY-MM-DD' ? `${a}-${b}-${c}` : format === 'DD.MM.YYYY' ? `${c}-${b}-${a}` : `${c}-${a}-${b}`;
  try {
    return parseBusinessDate(iso);
  } catch {
    return null;
  }
}

const CREDIT = new Set(['C', 'CR', 'CRDT', 'CREDIT', 'H', '+']);
const DEBIT = new Set(['D', 'DR', 'DBIT', 'DEBIT', 'S', '-']);

export function csvParser(options: CsvOptions): StatementParser {
  const { mapping } = options;
  const dateFormat = options.dateFormat ?? 'YYYY-MM-DD';
  const decimal = options.decimalSeparator ?? '.';
  return async function* parse(source) {
    const parser = csvParse({
      columns: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: options.delimiter ?? ',',
      info: true,
    });
    // Feed the parser from the source while the records are read (backpressure through write's callback).
    const feeding = (async () => {
      try {
        for await (const piece of source) {
          if (parser.destroyed) return;
          if (!parser.write(piece)) {
            await new Promise((resolve) => {
              parser.once('drain', resolve);
              parser.once('close', resolve);
            });
          }
        }
        if (!parser.destroyed) parser.end();
      } catch (error) {
        parser.destroy(error as Error);
      }
    })();
    let index = 0;
    let checkedHeader = false;
    try {
      for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        const { record, info } = row;
        if (!checkedHeader) {
          checkedHeader = true;
          const wanted: Array<[string, string]> = [
            ['bookingDate', mapping.bookingDate],
            ['amount', mapping.amount],
            ...(['currency', 'creditDebit', 'bankReference', 'payerIban', 'payerName', 'accountIban'] as const)
              .filter((k) => mapping[k] !== undefined)
              .map((k): [string, string] => [k, mapping[k] as string]),
            ...(mapping.remittance ?? []).map((c): [string, string] => ['remittance', c]),
          ];
          const missing = wanted.filter(([, column]) => !(column in record));
          if (missing.length > 0) {
            yield {
              kind: 'problem',
              problem: {
                entry: null,
                line: 1,
                reason: `the header has no column ${missing.map(([k, c]) => `'${c}' (mapping.${k})`).join(', ')}; it has ${Object.keys(
                  record,
                )
                  .map((c) => `'${c}'`)
                  .join(', ')}`,
              },
              fatal: true,
            } satisfies StatementItem;
            return;
          }
        }
        index += 1;
        const line = info.lines;
        const currency = (mapping.currency ? record[mapping.currency] : options.currency)?.trim().toUpperCase() ?? '';
        const reasons: string[] = [];
        const bookingDate = readDate(record[mapping.bookingDate] ?? '', dateFormat);
        if (bookingDate === null)
          reasons.push(`'${record[mapping.bookingDate] ?? ''}' in '${mapping.bookingDate}' is not a date ${dateFormat}`);
        if (!/^[A-Z]{3}$/.test(currency)) reasons.push(`no currency: '${currency}' is not an ISO 4217 code`);
        const amountText = record[mapping.amount] ?? '';
        const signed = /^[A-Z]{3}$/.test(currency) ? parseAmount(amountText, currency, decimal) : null;
        if (signed === null && /^[A-Z]{3}$/.test(currency)) reasons.push(`'${amountText}' in '${mapping.amount}' is not an amount`);
        let direction: 'credit' | 'debit' = signed !== null && signed.amountMinor < 0n ? 'debit' : 'credit';
        if (mapping.creditDebit) {
          const mark = (record[mapping.creditDebit] ?? '').trim().toUpperCase();
          if (CREDIT.has(mark)) direction = 'credit';
          else if (DEBIT.has(mark)) direction = 'debit';
          else reasons.push(`'${mark}' in '${mapping.creditDebit}' is neither credit nor debit`);
        }
        if (signed !== null && signed.amountMinor === 0n) reasons.push('the amount is zero');
        if (reasons.length > 0 || signed === null || bookingDate === null) {
          yield { kind: 'problem', problem: { entry: index, line, reason: reasons.join('; ') }, fatal: false } satisfies StatementItem;
          continue;
        }
        const amount = signed.amountMinor < 0n ? { ...signed, amountMinor: -signed.amountMinor } : signed;
        const text = (column: string | undefined) => (column === undefined ? null : (record[column] ?? '').trim() || null);
        yield {
          kind: 'entry',
          entry: {
            index,
            line,
            accountIban: normalIban(text(mapping.accountIban) ?? options.accountIban ?? null),
            bookingDate,
            amount,
            direction,
            bankReference: text(mapping.bankReference),
            payerIban: normalIban(text(mapping.payerIban)),
            payerName: text(mapping.payerName),
            remittance: (mapping.remittance ?? []).map((c) => text(c)).filter((v): v is string => v !== null),
          },
        } satisfies StatementItem;
      }
    } catch (error) {
      yield {
        kind: 'problem',
        problem: { entry: null, line: (error as { lines?: number }).lines ?? null, reason: `not CSV: ${(error as Error).message}` },
        fatal: true,
      } satisfies StatementItem;
    } finally {
      parser.destroy();
      await feeding.catch(() => undefined);
    }
  };
}
