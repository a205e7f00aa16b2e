import { camtParser } from './camt.parser';
import { csvParser } from './csv.parser';
import { mt940Parser } from './mt940.parser';
import type { ImportRequest, StatementParser } from './statement-entry';

/** The parser of a statement's declared format (CSV needs its column mapping). */
export function parserFor(request: ImportRequest): StatementParser {
  switch (request.format) {
    case 'camt.053':
    case 'camt.054':
      return camtParser(request.format);
    case 'mt940':
      return mt940Parser;
    case 'csv':
      if (request.csv === undefined) throw new Error('a CSV statement needs its column mapping');
      return csvParser(request.csv);
    default: {
      const unknown: never = request.format;
      throw new Error(`unknown statement format ${String(unknown)}`);
    }
  }
}

/** A text in pieces of `size` characters, as an upload arrives. */
export async function* inPieces(text: string, size = 64): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}
