/*
 * ISO 20022 camt.053 (BkToCstmrStmt) and camt.054 (BkToCstmrDbtCdtNtfctn), read with sax, a streaming XML parser
 * (no regular expressions over XML): the text arrives in pieces and entries are yielded as their </Ntry> closes, so
 * memory does not grow with the file. Each <Ntry> is one entry: amount and currency (Amt/@Ccy), CRDT/DBIT, booking
 * date (BookgDt/Dt or DtTm, else ValDt), the bank's reference (Ntry/AcctSvcrRef, else the first
 * TxDtls/Refs/AcctSvcrRef), the payer (first TxDtls: RltdPties/Dbtr[/Pty]/Nm, RltdPties/DbtrAcct/Id/IBAN) and every
 * remittance of its transactions (RmtInf/Ustrd, RmtInf/Strd/RfrdDocInf/Nb, RmtInf/Strd/CdtrRefInf/Ref, and
 * Refs/EndToEndId unless NOTPROVIDED). A batch booking (several TxDtls) is one receipt.
 */
import sax from 'sax';
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import { normalIban, parseAmount, type StatementEntry, type StatementItem, type StatementParser } from './statement-entry';

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.\d{2}$/;

interface Draft {
  index: number;
  line: number;
  amountText: string | null;
  currency: string | null;
  indicator: string | null;
  bookingDate: string | null;
  valueDate: string | null;
  bankReference: string | null;
  txReference: string | null;
  payerName: string | null;
  payerIban: string | null;
  remittance: string[];
  txCount: number;
}

function asDate(text: string | null): BusinessDate | null {
  if (text === null) return null;
  try {
    return parseBusinessDate(text.trim().slice(0, 10));
  } catch {
    return null;
  }
}

export function camtParser(expected: 'camt.053' | 'camt.054'): StatementParser {
  return async function* parse(source) {
    const out: StatementItem[] = [];
    let fatal = false;
    const stack: string[] = [];
    let text = '';
    let accountIban: string | null = null;
    let index = 0;
    let draft: Draft | null = null;
    let sawRoot = false;
    const parser = sax.parser(true, { xmlns: true, trim: false, position: true });
    const problem = (reason: string, entry: number | null = null, line: number | null = parser.line + 1, isFatal = false) => {
      out.push({ kind: 'problem', problem: { entry, line, reason }, fatal: isFatal });
      if (isFatal) fatal = true;
    };

    parser.onerror = (error) => {
      if (fatal) return;
      problem(`not well-formed XML: ${error.message.split('\n')[0]}`, null, parser.line + 1, true);
      // sax keeps going after an error unless told otherwise; nothing after it can be trusted.
      (parser as unknown as { error: Error | null }).error = null;
    };
    parser.onopentag = (node) => {
      if (fatal) return;
      const tag = node as sax.QualifiedTag;
      const name = tag.local;
      if (!sawRoot) {
        sawRoot = true;
        const match = NAMESPACE.exec(tag.uri);
        if (name !== 'Document' || match === null) {
          problem(
            `not an ISO 20022 ${expected} document: the root is <${tag.name}> in namespace '${tag.uri}', expected <Document> in urn:iso:std:iso:20022:tech:xsd:${expected}.001.xx`,
            null,
            parser.line + 1,
            true,
          );
        } else if (match[1] !== expected) {
          problem(`wrong namespace: the file is ${match[1]} ('${tag.uri}'), but ${expected} was declared`, null, parser.line + 1, true);
        }
      }
      stack.push(name);
      text = '';
      if (name === 'Ntry') {
        index += 1;
        draft = {
          index,
          line: parser.line + 1,
          amountText: null,
          currency: null,
          indicator: null,
          bookingDate: null,
          valueDate: null,
          bankReference: null,
          txReference: null,
          payerName: null,
          payerIban: null,
          remittance: [],
          txCount: 0,
        };
      } else if (draft !== null && name === 'Amt' && stack[stack.length - 2] === 'Ntry') {
        const ccy = tag.attributes.Ccy;
        draft.currency = ccy === undefined ? null : String(ccy.value);
      } else if (draft !== null && name === 'TxDtls') {
        draft.txCount += 1;
      }
    };
    parser.ontext = (t) => {
      text += t;
    };
    parser.oncdata = (t) => {
      text += t;
    };
    parser.onclosetag = () => {
      if (fatal) return;
      const name = stack.pop() ?? '';
      const parent = stack[stack.length - 1] ?? '';
      const path = `${stack.slice(-4).join('/')}/${name}`;
      const value = text.trim();
      text = '';
      if (draft === null) {
        // The statement's own account: Stmt/Acct/Id/IBAN or Ntfctn/Acct/Id/IBAN.
        if (name === 'IBAN' && /(Stmt|Ntfctn)\/Acct\/Id\/IBAN$/.test(path)) accountIban = normalIban(value);
        return;
      }
      const d: Draft = draft;
      const firstTx = d.txCount <= 1;
      if (name === 'Ntry') {
        finish(d);
        draft = null;
      } else if (name === 'Amt' && parent === 'Ntry') d.amountText = value;
      else if (name === 'CdtDbtInd' && parent === 'Ntry') d.indicator = value;
      else if ((name === 'Dt' || name === 'DtTm') && parent === 'BookgDt' && stack[stack.length - 2] === 'Ntry') d.bookingDate = value;
      else if ((name === 'Dt' || name === 'DtTm') && parent === 'ValDt' && stack[stack.length - 2] === 'Ntry') d.valueDate = value;
      else if (name === 'AcctSvcrRef' && parent === 'Ntry') d.bankReference = value || null;
      else if (name === 'AcctSvcrRef' && parent === 'Refs' && d.txReference === null) d.txReference = value || null;
      else if (name === 'EndToEndId' && parent === 'Refs' && value !== '' && value.toUpperCase() !== 'NOTPROVIDED')
        d.remittance.push(value);
      else if (name === 'Nm' && firstTx && d.payerName === null && /Dbtr(\/Pty)?\/Nm$/.test(path)) d.payerName = value || null;
      else if (name === 'IBAN' && firstTx && d.payerIban === null && /DbtrAcct\/Id\/IBAN$/.test(path)) d.payerIban = normalIban(value);
      else if (name === 'Ustrd' && parent === 'RmtInf' && value !== '') d.remittance.push(value);
      else if (name === 'Nb' && parent === 'RfrdDocInf' && value !== '') d.remittance.push(value);
      else if (name === 'Ref' && parent === 'CdtrRefInf' && value !== '') d.remittance.push(value);
    };

    const finish = (d: Draft) => {
      const reasons: string[] = [];
      if (d.amountText === null || d.amountText === '') reasons.push('the amount (Ntry/Amt) is missing');
      if (d.currency === null || !/^[A-Z]{3}$/.test(d.currency))
        reasons.push('the currency (Ntry/Amt/@Ccy) is missing or not an ISO 4217 code');
      const amount = d.amountText && d.currency && /^[A-Z]{3}$/.test(d.currency) ? parseAmount(d.amountText, d.currency) : null;
      if (d.amountText && amount === null && reasons.length === 0)
        reasons.push(`the amount '${d.amountText}' is not a decimal amount in ${d.currency}`);
      if (amount !== null && amount.amountMinor <= 0n)
        reasons.push(`the amount '${d.amountText}' must be positive (the direction is CdtDbtInd)`);
      if (d.indicator !== 'CRDT' && d.indicator !== 'DBIT') reasons.push(`CdtDbtInd must be CRDT or DBIT (got '${d.indicator ?? ''}')`);
      const bookingDate = asDate(d.bookingDate) ?? asDate(d.valueDate);
      if (bookingDate === null) reasons.push('the booking date (BookgDt/Dt) is missing or not a date');
      if (reasons.length > 0 || amount === null || bookingDate === null) {
        out.push({ kind: 'problem', problem: { entry: d.index, line: d.line, reason: reasons.join('; ') }, fatal: false });
        return;
      }
      const entry: StatementEntry = {
        index: d.index,
        line: d.line,
        accountIban,
        bookingDate,
        amount,
        direction: d.indicator === 'CRDT' ? 'credit' : 'debit',
        bankReference: d.bankReference ?? d.txReference,
        payerIban: d.payerIban,
        payerName: d.payerName,
        remittance: d.remittance,
      };
      out.push({ kind: 'entry', entry });
    };

    for await (const piece of source) {
      if (fatal) break;
      parser.write(piece);
      while (out.length > 0) yield out.shift() as StatementItem;
    }
    if (!fatal) {
      parser.close();
      if (!sawRoot && !fatal) problem('not XML: the file is empty or has no root element', null, null, true);
    }
    while (out.length > 0) yield out.shift() as StatementItem;
  };
}
