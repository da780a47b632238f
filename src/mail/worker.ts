import nodemailer from 'nodemailer';
import type { Mail, Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';

export interface MailSettings {
  /** smtp://user:pass@host:port, or smtps:// for TLS from the first byte. */
  smtpUrl: string;
  from: string;
  /** First retry after this long; each later one waits twice as long, up to an hour. */
  retryBaseMs: number;
  /** After this many attempts a mail is dead, with its last SMTP error kept for the owner. */
  maxAttempts: number;
  /** How long one SMTP step (connect, greeting, a reply) may take before the attempt fails. */
  timeoutMs: number;
}
const BATCH = 20;
const MAX_RETRY_MS = 3_600_000;

function retryAt(settings: MailSettings, mail: Mail, now: number): number | null {
  if (mail.attempts >= settings.maxAttempts) return null;
  return now + Math.min(MAX_RETRY_MS, settings.retryBaseMs * 2 ** (mail.attempts - 1));
}

/**
 * The mail worker: claims due invitations from the store's mail outbox and sends each with
 * nodemailer after its change committed. It runs in every instance; the claim keeps two from
 * sending one mail. A crash after the SMTP server took a mail but before it was marked sent
 * sends it again after the lease, with the same Message-ID, so the receiver keeps one copy.
 */
export function startMailWorker(store: Store, clock: Clock, settings: MailSettings) {
  const url = new URL(settings.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname, port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587), secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: settings.timeoutMs, greetingTimeout: settings.timeoutMs, socketTimeout: settings.timeoutMs,
  });
  // A claim outlives any one SMTP exchange, so no second worker takes a mail while the first is
  // still sending it; a claim older than this was a crash.
  const leaseMs = settings.timeoutMs * 4;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function send(mail: Mail): Promise<void> {
    try {
      await transport.sendMail({
        from: settings.from, to: mail.recipient, subject: mail.subject, messageId: mail.messageId,
        text: mail.text, html: mail.html,
        // RFC 6047 §2.4: the iTIP object is a text/calendar part with its method parameter,
        // an alternative to the text and HTML, which is what mail apps turn into buttons.
        ...(mail.parts !== 'attachment' ? { icalEvent: { method: mail.method, content: mail.ics } } : {}),
        ...(mail.parts !== 'inline'
          ? { attachments: [{ filename: 'invite.ics', content: mail.ics, contentType: `text/calendar; charset=utf-8; method=${mail.method}` }] }
          : {}),
      });
      await store.finishMail(mail.id, { sent: true, at: clock.now() });
    } catch (err) {
      await store.finishMail(mail.id, { sent: false, error: (err as Error).message.slice(0, 1000), retryAt: retryAt(settings, mail, clock.now()) });
    }
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (let batch = await store.claimMail(clock.now(), leaseMs, BATCH); batch.length > 0 && !stopped;
        batch = await store.claimMail(clock.now(), leaseMs, BATCH)) {
        await Promise.all(batch.map(send));
      }
    } while (again && !stopped);
  }

  /** Looks for due mail now (after a write) and then once a second, for retries and other instances' rows. */
  function kick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = drain().catch((err) => console.error('[calcast] mail worker:', err)).finally(() => { running = null; });
    return running;
  }
  const timer = setInterval(() => void kick(), 1000);
  timer.unref();

  return {
    kick,
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
      transport.close();
    },
  };
}
export type MailWorker = ReturnType<typeof startMailWorker>;
