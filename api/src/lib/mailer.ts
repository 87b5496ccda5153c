import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The mail port: the job handlers send through it; a test hands in a local SMTP server's URL. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * An SMTP mailer from a URL such as smtp://user:pass@host:587 (STARTTLS when offered) or
 * smtps://user:pass@host:465 (TLS from the start). Timeouts are short on purpose: a send runs while
 * the job holds its once-only guard, and a hung server must fail the job (to be retried), not park it.
 */
export function createMailer(options: { url: string; from: string }): Mailer {
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
    close: () => transport.close(),
  };
}

/** A mailer when SMTP_URL is set; null otherwise (notifications then stay in the in-app inbox). */
export function mailerFromConfig(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer | null {
  return config.smtpUrl ? createMailer({ url: config.smtpUrl, from: config.mailFrom }) : null;
}
