import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInlineRunner } from '@qihub/api/jobs';
import { createMailer, type Mailer } from '@qihub/api/lib/mailer';
import { startWorker } from '@qihub/worker';
import { useSeededApp } from '../support/app.ts';
import { REDIS_URL } from '../support/env.ts';
import { USERS } from '../support/scenario.ts';

/**
 * Notifications by email through a real SMTP server started here (the `smtp-server` package): each
 * notification is mailed once, through the outbox, whatever is repeated; nothing without SMTP.
 */
const t = useSeededApp();
const noRedis = process.env.QIHUB_TEST_NO_REDIS === '1';

interface Received {
  rcpt: string[];
  mail: ParsedMail;
}

let server: SMTPServer;
let port: number;
const received: Received[] = [];
/** Recipients whose next delivery the server refuses once with a temporary error (451). */
const refuseOnce = new Set<string>();
let mailer: Mailer;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 's3cret/pw') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (refuseOnce.delete(address.address)) {
        const err = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
        err.responseCode = 451;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
  // The password has a character that must be percent-encoded in the URL.
  mailer = createMailer({ url: `smtp://mailer:s3cret%2Fpw@127.0.0.1:${port}`, from: 'QIHub <no-reply@qihub.test>' });
});
afterAll(async () => {
  mailer?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Queues the welcome notification for a demo user, as registration does. */
async function queueWelcome(email: string, tag: string) {
  await t.db.pool.query(
    `INSERT INTO outbox (topic, payload, dedupe_key)
     SELECT 'notify.welcome', json_build_object('userId', u.id, 'orgId', m.org_id), 'welcome:' || $2 || ':' || u.id
     FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $1 LIMIT 1`,
    [email, tag],
  );
}

async function notificationOf(email: string, kind: string): Promise<string> {
  const { rows } = await t.db.pool.query<{ id: string }>(
    `SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = $2`,
    [email, kind],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

const to = (email: string) => received.filter((r) => r.rcpt.includes(email));
/**
 * The welcome mails to a user. The runner's sweeps run on the real clock, so on some days a demo
 * user also has real notices due (an order due soon, a calibration recall): count what was queued here.
 */
const welcomes = (email: string) =>
  to(email).filter((m) => /^(欢迎使用 QIHub|Welcome to QIHub)/.test(m.mail.subject ?? ''));

describe('email over SMTP', () => {
  it('sends nothing, and fails nothing, without SMTP_URL', async () => {
    await queueWelcome(USERS.officer, 'nosmtp');
    const runner = startInlineRunner(t.db.db, { intervalMs: 3_600_000 });
    try {
      await runner.tick();
      await runner.tick();
    } finally {
      await runner.stop();
    }
    await notificationOf(USERS.officer, 'welcome'); // the inbox still gets it
    const { rows } = await t.db.pool.query("SELECT 1 FROM outbox WHERE dedupe_key LIKE 'mail%'");
    expect(rows).toHaveLength(0);
    expect(to(USERS.officer)).toHaveLength(0);
  });

  it('mails a notification once, in the user’s language first, however often the job runs', async () => {
    await queueWelcome(USERS.sme2, 'mail');
    const runner = startInlineRunner(t.db.db, { intervalMs: 3_600_000, mailer, webUrl: 'https://qihub.test' });
    try {
      await runner.tick(); // the welcome notification is written
      await runner.tick(); // its email is queued through the outbox and sent
      await runner.tick();
      expect(welcomes(USERS.sme2)).toHaveLength(1);

      // The same job again (a redelivery), twice, and the whole outbox replayed: still one message.
      const id = await notificationOf(USERS.sme2, 'welcome');
      await runner.registry.run('notify.email', { notificationId: id }, { jobId: `mail_${id}` });
      await runner.registry.run('notify.email', { notificationId: id }, { jobId: `mail_${id}` });
      await t.db.pool.query('UPDATE outbox SET relayed_at = NULL');
      await runner.tick();
      await runner.tick();
    } finally {
      await runner.stop();
    }
    const mails = welcomes(USERS.sme2);
    expect(mails).toHaveLength(1);
    const { mail, rcpt } = mails[0]!;
    expect(rcpt).toEqual([USERS.sme2]);
    expect(mail.subject).toBe('欢迎使用 QIHub 质量基础设施一站式服务平台');
    expect(mail.from?.value[0]?.address).toBe('no-reply@qihub.test');
    // Plain text and HTML, both languages, with an absolute link into the web app.
    expect(mail.text).toContain('Welcome to QIHub');
    expect(mail.text).toContain('https://qihub.test/instruments');
    expect(mail.html).toContain('<a href="https://qihub.test/instruments">');
    expect(mail.html).toContain('欢迎使用');
  });

  it('writes the subject in English for a user whose locale is English', async () => {
    await t.db.pool.query("UPDATE users SET locale = 'en' WHERE email = $1", [USERS.sme]);
    await queueWelcome(USERS.sme, 'en');
    const runner = startInlineRunner(t.db.db, { intervalMs: 3_600_000, mailer });
    try {
      await runner.tick();
      await runner.tick();
    } finally {
      await runner.stop();
    }
    const mails = welcomes(USERS.sme);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.mail.subject).toBe('Welcome to QIHub');
    expect((mails[0]!.mail.text ?? '').indexOf('Welcome to QIHub')).toBeLessThan(
      (mails[0]!.mail.text ?? '').indexOf('欢迎使用'),
    );
  });

  it('retries a send the server refused, and then sends it once', async () => {
    refuseOnce.add(USERS.lab);
    await queueWelcome(USERS.lab, 'retry');
    const runner = startInlineRunner(t.db.db, { intervalMs: 3_600_000, mailer });
    try {
      await runner.tick();
      await runner.tick();
      expect(welcomes(USERS.lab)).toHaveLength(0);
      const id = await notificationOf(USERS.lab, 'welcome');
      const { rows } = await t.db.pool.query<{ attempts: number; last_error: string; relayed_at: Date | null }>(
        'SELECT attempts, last_error, relayed_at FROM outbox WHERE dedupe_key = $1',
        ['mail:' + id],
      );
      expect(rows[0]).toMatchObject({ attempts: 1, relayed_at: null });
      expect(rows[0]!.last_error).toMatch(/451/);
      // The back-off has passed.
      await t.db.pool.query('UPDATE outbox SET available_at = now() WHERE dedupe_key = $1', ['mail:' + id]);
      await runner.tick();
      await runner.tick();
    } finally {
      await runner.stop();
    }
    expect(welcomes(USERS.lab)).toHaveLength(1);
  });
});

describe.skipIf(noRedis)('email from the BullMQ worker', () => {
  let redis: Redis;
  const prefix = `qihub_test_${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  async function until(probe: () => boolean | Promise<boolean>, what: string) {
    const deadline = Date.now() + 20_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('mails once through Redis, also after a worker restart', async () => {
    const start = () =>
      startWorker({ db: t.db.db, connection: redis, prefix, sweepEveryMs: 100, relayEveryMs: 100, mailer });
    await queueWelcome(USERS.operator, 'bullmq');
    const first = await start();
    try {
      await until(() => welcomes(USERS.operator).length > 0, 'the email');
    } finally {
      await first.close();
    }
    const second = await start();
    try {
      // Let the new worker sweep and relay several times over.
      let sweeps = 0;
      second.worker.on('completed', (job) => {
        if (job.name === 'notify.email-sweep') sweeps += 1;
      });
      await until(() => sweeps >= 3, 'three email sweeps');
    } finally {
      await second.close();
    }
    expect(welcomes(USERS.operator)).toHaveLength(1);
    expect(welcomes(USERS.operator)[0]!.mail.subject).toBe('欢迎使用 QIHub 质量基础设施一站式服务平台');
  });
});
