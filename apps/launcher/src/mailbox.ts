import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * The local mailbox of `npm start`: a real SMTP server (the `smtp-server` package) on 127.0.0.1 that writes
 * every message it receives, as sent, to `<dir>/<n>-<recipient>.eml` (open with any mail client, or read
 * as text). The collections service sends its dunning e-mails here (ARC_COLLECTIONS_SMTP_URL).
 */
export interface Mailbox {
  url: string;
  dir: string;
  received(): number;
  close(): Promise<void>;
}

export async function startMailbox(dir: string, port = 0): Promise<Mailbox> {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        count += 1;
        const to = (session.envelope.rcptTo[0]?.address ?? 'unknown').replace(/[^A-Za-z0-9@._-]/g, '_');
        writeFileSync(join(dir, `${String(count).padStart(5, '0')}-${to}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    dir,
    received: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
