// A real SMTP server for tests (smtp-server on a free local port): it parses every accepted message with
// mailparser, lets a test await N messages and inspect headers, and can refuse a recipient with 550 or fail every
// transaction with 421.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  auth?: { username: string; password: string };
  parsed: ParsedMail;
  /** Lowercased header name → raw value as text. */
  header(name: string): string | undefined;
  raw: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  url: string;
  messages: ReceivedMail[];
  /** Resolves when at least n messages have arrived (throws after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** RCPT TO of this address answers 550 (a hard bounce). */
  rejectRecipient(address: string): void;
  /** Every MAIL FROM answers 421 (a transient failure) while on. */
  failTransient(on: boolean): void;
  reset(): void;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const rejected = new Set<string>();
  let transient = false;
  const waiters: { n: number; resolve: () => void }[] = [];
  const wake = () => {
    for (const w of [...waiters]) if (messages.length >= w.n) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: { username: auth.username, password: auth.password } });
    },
    onMailFrom(_address, _session, cb) {
      if (transient) return cb(smtpError(421, 'Service not available, try again later'));
      cb();
    },
    onRcptTo(address, _session, cb) {
      if (rejected.has(address.address.toLowerCase())) return cb(smtpError(550, 'No such user here'));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            const user = session.user as { username: string; password: string } | undefined;
            messages.push({
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
              auth: user,
              parsed,
              raw,
              header: (name) => {
                const line = parsed.headerLines.find((h) => h.key === name.toLowerCase());
                return line ? line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim() : undefined;
              },
            });
            wake();
            cb();
          })
          .catch((err: Error) => cb(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(n, timeoutMs = 15_000) {
      if (messages.length < n) {
        await new Promise<void>((resolve, reject) => {
          const w = { n, resolve };
          waiters.push(w);
          setTimeout(() => reject(new Error(`Expected ${n} messages, got ${messages.length}`)), timeoutMs).unref();
        });
      }
      return messages;
    },
    rejectRecipient: (address) => void rejected.add(address.toLowerCase()),
    failTransient: (on) => void (transient = on),
    reset() {
      messages.length = 0;
      rejected.clear();
      transient = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
