import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { addDays, compare as compareDates, type BusinessDate } from '@arc/clock';
import { withTransaction } from '@arc/event-store';
import { Commands, UnprocessableProblem } from '@arc/platform';
import { bankStatementStreamId, bankStreamDecider, suspenseStreamId } from '../domain/bank-streams.decider';
import { referencedNumbers } from '../domain/matching';
import { paymentAccountDecider, paymentAccountStreamId, type ReceiptData } from '../domain/payment-account.decider';
import { BusinessCalendarView } from '../views/business-calendar.view';
import { OpenInvoicesView } from '../views/open-invoices.view';
import { parserFor } from './parsers';
import { entryIdentity, type StatementEntry, type StatementProblem } from './statement-entry';
import { StatementStore, type StatementRow } from './statement-store';

/**
 * Entries committed per transaction: the unit of progress and of resumption after a crash. Each chunk costs a command
 * (two round trips and a copy of the account's state) per customer it pays, so fewer, larger chunks import faster; the
 * chunk's transaction (about a second) holds back every relay of the server, so not much larger.
 */
export const IMPORT_CHUNK = 2000;
/** Problems a rejection lists (the count says how many there were). */
const MAX_PROBLEMS = 100;
export const STATEMENT_REJECTED_PROBLEM = 'urn:arc:problem:statement-rejected';

export interface StatementReport {
  statementId: string;
  format: string;
  fileName: string | null;
  status: string;
  fileSha256: string | null;
  /** Entries in the file (credits and debits), once validated: the progress is checkpoint / entries. */
  entries: number | null;
  /** The last entry imported (credits and debits): an interrupted import resumes after it. */
  checkpoint: number;
  receipts: number;
  duplicates: number;
  suspense: number;
  debitsSkipped: number;
  problems: StatementProblem[];
  parts: number;
  bytes: number;
}

export function reportOf(row: StatementRow): StatementReport {
  return {
    statementId: row.statement_id,
    format: row.request.format,
    fileName: row.request.fileName,
    status: row.status,
    fileSha256: row.file_sha256,
    entries: row.entries_total,
    checkpoint: row.checkpoint,
    receipts: row.receipts,
    duplicates: row.duplicates,
    suspense: row.suspense,
    debitsSkipped: row.debits,
    problems: row.problems,
    parts: row.parts,
    bytes: Number(row.bytes),
  };
}

/** A UUID derived from a text (the same entry always gives the same payment or suspense id, so a rerun appends nothing new). */
export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

interface Keyed {
  entry: StatementEntry;
  key: string;
}

/**
 * Imports an uploaded statement in two streaming passes over its stored parts:
 * 1. validation: every entry is read and checked (format, amounts, dates, booking date at most 7 days after the open
 *    day); any problem rejects the whole file — nothing is imported (422 listing entry, line and reason). A statement is
 *    an accounting whole: half of one imported leaves a hole finance has to find; fixed and uploaded again, it imports.
 * 2. import, in chunks of IMPORT_CHUNK entries, one transaction each (receipts, suspense, entry identities, checkpoint):
 *    a crash loses at most the chunk in flight, and importing the same statement again resumes after the checkpoint;
 *    entries of other files already imported are recognised by their identity and add nothing.
 */
@Injectable()
export class StatementImporter {
  private readonly logger = new Logger('StatementImporter');

  constructor(
    @Inject(StatementStore) private readonly store: StatementStore,
    @Inject(Commands) private readonly commands: Commands,
    @Inject(OpenInvoicesView) private readonly invoices: OpenInvoicesView,
    @Inject(BusinessCalendarView) private readonly calendar: BusinessCalendarView,
  ) {}

  async run(row: StatementRow, actor: string): Promise<StatementReport> {
    const id = row.statement_id;
    if (row.status === 'imported') return reportOf(row);
    if (row.status === 'rejected') throw this.rejection(id, row.problems, row.problems.length);
    const openDay = await this.calendar.openDay();
    const problems = await this.validate(row, openDay);
    if (problems.list.length > 0) {
      await this.store.update(id, { status: 'rejected', problems: problems.list, file_sha256: problems.sha256 });
      throw this.rejection(id, problems.list, problems.count);
    }
    await this.store.update(id, { status: 'importing', file_sha256: problems.sha256, entries_total: problems.total });
    const reason = `imported from bank statement ${id} (${row.request.format})`;
    const occurrences = new Map<string, number>();
    let chunk: Keyed[] = [];
    let debits = 0;
    let last = 0;
    for await (const item of parserFor(row.request)(this.store.text(id))) {
      if (item.kind !== 'entry') continue; // validated: none left
      const { entry } = item;
      const base = `${entry.accountIban}|${entry.bookingDate}|${entry.amount.currency}${entry.amount.amountMinor}`;
      const occurrence = entry.bankReference === null ? (occurrences.get(base) ?? 0) + 1 : 1;
      if (entry.bankReference === null) occurrences.set(base, occurrence);
      if (entry.index <= row.checkpoint) continue; // committed before a crash
      last = entry.index;
      if (entry.direction === 'debit') debits += 1;
      else chunk.push({ entry, key: entryIdentity(entry, occurrence) });
      if (chunk.length + debits >= IMPORT_CHUNK) {
        await this.importChunk(row, chunk, debits, last, openDay, reason, actor);
        chunk = [];
        debits = 0;
      }
    }
    if (chunk.length > 0 || debits > 0) await this.importChunk(row, chunk, debits, last, openDay, reason, actor);
    const done = (await this.store.statement(id)) as StatementRow;
    await withTransaction(this.store.pool, async () => {
      await this.commands.execute(bankStreamDecider, {
        streamId: bankStatementStreamId(id),
        customerId: id,
        commandId: `statement-imported:${id}`,
        actor,
        occurredAt: new Date().toISOString(),
        command: {
          type: 'CompleteStatementImport',
          data: {
            statementId: id,
            format: row.request.format,
            accountIban: problems.accountIban,
            fileSha256: problems.sha256,
            entries: done.receipts + done.duplicates + done.suspense,
            receipts: done.receipts,
            duplicates: done.duplicates,
            suspense: done.suspense,
            debitsSkipped: done.debits,
            importedOn: openDay ?? new Date().toISOString().slice(0, 10),
          },
        },
      });
      await this.store.update(id, { status: 'imported' });
    });
    return reportOf((await this.store.statement(id)) as StatementRow);
  }

  private rejection(statementId: string, problems: StatementProblem[], count: number): UnprocessableProblem {
    const first = problems[0];
    const where = first
      ? [first.entry !== null ? `entry ${first.entry}` : null, first.line !== null ? `line ${first.line}` : null].filter(Boolean).join(', ')
      : '';
    return new UnprocessableProblem(
      `the statement was not imported (nothing of it was): ${count} problem${count === 1 ? '' : 's'}, the first${where ? ` at ${where}` : ''}: ${first?.reason ?? ''}`,
      { type: STATEMENT_REJECTED_PROBLEM, title: 'Bank statement rejected', statementId, problemCount: count, problems },
    );
  }

  private async validate(row: StatementRow, openDay: string | null) {
    const hash = createHash('sha256');
    const store = this.store;
    async function* hashed() {
      for await (const piece of store.text(row.statement_id)) {
        hash.update(piece);
        yield piece;
      }
    }
    const list: StatementProblem[] = [];
    let count = 0;
    let credits = 0;
    let total = 0;
    let accountIban: string | null = null;
    const latest = openDay === null ? null : addDays(openDay as BusinessDate, 7);
    for await (const item of parserFor(row.request)(hashed())) {
      if (item.kind === 'problem') {
        count += 1;
        if (list.length < MAX_PROBLEMS) list.push(item.problem);
        if (item.fatal) break;
        continue;
      }
      const { entry } = item;
      accountIban ??= entry.accountIban;
      total += 1;
      if (entry.direction === 'credit') credits += 1;
      if (latest !== null && compareDates(entry.bookingDate, latest) > 0) {
        count += 1;
        if (list.length < MAX_PROBLEMS) {
          list.push({
            entry: entry.index,
            line: entry.line,
            reason: `booked on ${entry.bookingDate}, more than 7 days after the open business day ${openDay}`,
          });
        }
      }
    }
    if (count === 0 && row.parts === 0) list.push({ entry: null, line: null, reason: 'nothing was uploaded' });
    return { list, count: Math.max(count, list.length), credits, total, accountIban, sha256: hash.digest('hex') };
  }

  private async importChunk(
    row: StatementRow,
    chunk: Keyed[],
    debits: number,
    checkpoint: number,
    openDay: string | null,
    backdatingReason: string,
    actor: string,
  ): Promise<void> {
    const statementId = row.statement_id;
    const started = performance.now();
    let commandsMs = 0;
    await withTransaction(this.store.pool, async () => {
      // Who paid: the payer's IBAN mapping, else the one customer whose invoice numbers the remittance quotes.
      const byIban = await this.store.payersByIban([
        ...new Set(chunk.map((k) => k.entry.payerIban).filter((i): i is string => i !== null)),
      ]);
      const numbers = new Map(chunk.map((k) => [k.key, [...new Set(referencedNumbers(k.entry.remittance))]]));
      const byNumber = await this.invoices.customersByInvoiceNumber([...new Set([...numbers.values()].flat())]);
      const payerOf = new Map<string, string | null>();
      for (const k of chunk) {
        const mapped = k.entry.payerIban === null ? undefined : byIban.get(k.entry.payerIban);
        const quoted = new Set((numbers.get(k.key) ?? []).map((n) => byNumber.get(n)).filter((c): c is string => c !== undefined));
        payerOf.set(k.key, mapped ?? (quoted.size === 1 ? ([...quoted][0] as string) : null));
      }
      const known = await this.store.knownCustomers([...new Set([...payerOf.values()].filter((c): c is string => c !== null))]);
      const claims = chunk.map((k) => {
        const payer = payerOf.get(k.key) ?? null;
        const customerId = payer !== null && known.has(payer) ? payer : null;
        return {
          keyed: k,
          key: k.key,
          statementId,
          index: k.entry.index,
          customerId,
          paymentId: customerId === null ? null : uuidFrom(`payment:${k.key}`),
          suspenseId: customerId === null ? uuidFrom(`suspense:${k.key}`) : null,
        };
      });
      const fresh = await this.store.claimEntries(claims);
      const receipts = claims.filter((c) => fresh.has(c.key) && c.customerId !== null);
      const suspense = claims.filter((c) => fresh.has(c.key) && c.customerId === null);

      // The company-wide register of bank references (see BankReferences): the entry identity is the reference.
      if (receipts.length > 0) {
        await this.store.db.query(
          `INSERT INTO payments_bank_references (bank_reference, customer_id, payment_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[]) ON CONFLICT (bank_reference) DO NOTHING`,
          [receipts.map((c) => c.key), receipts.map((c) => c.customerId), receipts.map((c) => c.paymentId)],
        );
      }
      const byCustomer = new Map<string, typeof receipts>();
      for (const c of receipts) byCustomer.set(c.customerId as string, [...(byCustomer.get(c.customerId as string) ?? []), c]);
      const currencies = [...new Set(receipts.map((c) => c.keyed.entry.amount.currency))];
      const open = new Map<string, Awaited<ReturnType<OpenInvoicesView['openInvoicesOf']>>>();
      for (const currency of currencies) open.set(currency, await this.invoices.openInvoicesOf([...byCustomer.keys()], currency));
      for (const [customerId, list] of byCustomer) {
        const receiptsData: ReceiptData[] = list.map((c) => {
          const e = c.keyed.entry;
          return {
            paymentId: c.paymentId as string,
            bankReference: c.key,
            customerId,
            amount: e.amount,
            receivedOn: e.bookingDate,
            method: 'bank-transfer',
            remittanceReferences: e.remittance.map((r) => r.slice(0, 500)).filter((r) => r.trim() !== ''),
            openInvoices: open.get(e.amount.currency)?.get(customerId) ?? [],
            openDay: openDay as BusinessDate | null,
            backdatingReason,
            customerKnown: true,
            statementId,
          };
        });
        const before = performance.now();
        await this.commands.execute(paymentAccountDecider, {
          streamId: paymentAccountStreamId(customerId),
          customerId,
          commandId: `statement:${statementId}:${checkpoint}:${customerId}`,
          actor,
          occurredAt: new Date().toISOString(),
          command: { type: 'RecordPayments', data: { customerId, receipts: receiptsData } },
        });
        commandsMs += performance.now() - before;
      }
      for (const c of suspense) {
        const e = c.keyed.entry;
        const suspenseId = c.suspenseId as string;
        const remittanceText = e.remittance.join(' | ').slice(0, 2000) || null;
        await this.commands.execute(bankStreamDecider, {
          streamId: suspenseStreamId(suspenseId),
          customerId: suspenseId,
          commandId: `suspense:${suspenseId}`,
          actor,
          occurredAt: new Date().toISOString(),
          command: {
            type: 'RecordSuspenseReceipt',
            data: {
              suspenseId,
              bankReference: c.key,
              amount: { amountMinor: e.amount.amountMinor.toString(), currency: e.amount.currency },
              receivedOn: e.bookingDate,
              payerIban: e.payerIban,
              payerName: e.payerName,
              remittanceText,
              statementId,
            },
          },
        });
        await this.store.addSuspense({
          suspense_id: suspenseId,
          bank_reference: c.key,
          amount_minor: e.amount.amountMinor.toString(),
          currency: e.amount.currency,
          received_on: e.bookingDate,
          payer_iban: e.payerIban,
          payer_name: e.payerName,
          remittance: remittanceText,
          statement_id: statementId,
        });
      }
      await this.store.advance(statementId, checkpoint, {
        receipts: receipts.length,
        duplicates: chunk.length - fresh.size,
        suspense: suspense.length,
        debits,
      });
    });
    this.logger.log(
      `bank statement ${statementId}: imported up to entry ${checkpoint} (chunk of ${chunk.length + debits} in ${Math.round(performance.now() - started)} ms, receipts' commands ${Math.round(commandsMs)} ms)`,
    );
  }
}
