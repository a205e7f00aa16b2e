import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationProblem } from '../errors/problem';

/** Larger bodies answer 413: the largest ARC command (an invoice of 1,000 lines) stays well below it. */
export const MAX_JSON_BODY = '512kb';

/**
 * How deep a JSON body may nest (objects and arrays). ARC's deepest body (an invoice's line's amount) is 3
 * levels; 32 leaves room for any DTO while keeping every recursive walk (validation, class-transformer,
 * the idempotency fingerprint, PostgreSQL's jsonb input) far from a stack overflow.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The nesting depth of a JSON text, stopping as soon as it passes `limit`: a linear scan of the bytes before
 * the parser runs, so a body nested thousands of levels deep is refused without being parsed.
 */
export function jsonDepthExceeds(body: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}

/**
 * The JSON body parser's options: JSON media types only, a size limit (413 beyond it) and a depth limit
 * checked on the raw bytes before parsing (400). body-parser hands a `verify` error on with its own status.
 */
export function jsonBodyParserOptions(): {
  type: string[];
  limit: string;
  verify: (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;
} {
  return {
    type: ['application/json', 'application/*+json'],
    limit: MAX_JSON_BODY,
    verify: (_request, _response, body) => {
      if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
        throw new ValidationProblem([
          {
            field: 'body',
            constraint: 'maxDepth',
            detail: `JSON bodies may nest objects and arrays at most ${MAX_JSON_DEPTH} levels deep`,
          },
        ]);
      }
    },
  };
}
