import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

/** A real SMTP server for a test (the `smtp-server` package), keeping every mail it accepts, parsed. */
export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** While true, every message is refused with a 451 (a temporary failure the outbox must retry). */
  refuse: boolean;
  /** SMTP connections opened to it so far (a pooled sender reuses a few). */
  connections: number;
  /** Errors of client connections (e.g. ECONNRESET when a sender is killed). */
  connectionErrors: string[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { received: [] as ReceivedMail[], refuse: false, connections: 0, connectionErrors: [] as string[] } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      sink.connections += 1;
      callback();
    },
    onData(stream, _session, callback) {
      if (sink.refuse) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
          sink.received.push({
            to,
            from: mail.from?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
            attachments: mail.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  // A client that vanishes (a sender SIGKILLed with its pooled connections open) resets its connection: a real server
  // logs that and carries on; unhandled, the error would crash the test process.
  server.on('error', (error: Error) => {
    sink.connectionErrors.push(error.message);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
