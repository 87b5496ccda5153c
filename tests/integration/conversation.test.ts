import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, expectProblem, testClock } from '../support/app.ts';
import { countRows } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { signIn, userIdsOf } from '../factories/index.ts';
import { useSeededApp } from '../support/app.ts';
import type { ProblemCode } from '@qihub/api';

/**
 * The order conversation: messages and attachments between the customer and the lab only (the
 * service officer and platform admins get 404), file type and size refusals that leave nothing
 * behind, downloads for the two parties only, and the read-only period after an order ends.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

type Who = 'sme' | 'sme2' | 'lab' | 'operator' | 'lab2' | 'officer' | 'admin';
const tok = {} as Record<Who, string>;
const uid = {} as Record<Who, string>;
let labId: string;
let customerId: string;
let orderId: string;

interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  downloadUrl: string | null;
}
interface Message {
  id: string;
  author: { id: string; name: string };
  side: 'customer' | 'lab';
  body: string;
  attachments: Attachment[];
}
interface MessageList {
  items: Message[];
  canPost: boolean;
  closed: boolean;
  maxFileBytes: number;
}

async function insertOrder(status: string, set: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID();
  const number = `QT${randomBytes(5).toString('hex').toUpperCase()}`;
  const columns = ['id', 'number', 'customer_org_id', 'lab_id', 'requested_by', 'status', 'title_zh'];
  const values: unknown[] = [id, number, customerId, labId, uid.sme, status, '盐雾试验（镀锌钢板 Q235B）'];
  for (const [k, v] of Object.entries(set)) {
    columns.push(k);
    values.push(v);
  }
  await t.db.pool.query(
    `INSERT INTO orders (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
  return id;
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  customerId = await orgOf(t.db, USERS.sme);
  const people = Object.keys(USERS) as Who[];
  Object.assign(tok, await signIn(t.app, people));
  Object.assign(uid, await userIdsOf(t.db, people));
  // officer@ is the named service officer of sme@'s enterprise.
  const officerOrg = await orgOf(t.db, USERS.officer);
  await t.db.pool.query(
    `INSERT INTO enterprise_officers (enterprise_id, platform_org_id, officer_user_id) VALUES ($1, $2, $3)
     ON CONFLICT (enterprise_id) DO UPDATE SET officer_user_id = EXCLUDED.officer_user_id,
       platform_org_id = EXCLUDED.platform_org_id`,
    [customerId, officerOrg, uid.officer],
  );
  orderId = await insertOrder('in_progress');
});

const get = (url: string, who: Who | null, app: FastifyInstance = t.app) =>
  app.inject({ method: 'GET', url, ...(who ? { headers: bearer(tok[who]) } : {}) });
const post = (url: string, who: Who | null, payload: object) =>
  t.app.inject({ method: 'POST', url, payload, ...(who ? { headers: bearer(tok[who]) } : {}) });

interface Part {
  name: string;
  filename?: string;
  type?: string;
  content: Buffer | string;
}

/** A multipart/form-data body built by hand, as a browser sends it. */
function multipart(parts: Part[]) {
  const boundary = `----qihub${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.from(p.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (who: Who | null, parts: Part[], id = orderId, app: FastifyInstance = t.app) => {
  const form = multipart(parts);
  return app.inject({
    method: 'POST',
    url: `/v1/orders/${id}/attachments`,
    payload: form.payload,
    headers: { ...form.headers, ...(who ? bearer(tok[who]) : {}) },
  });
};

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'),
  randomBytes(2000),
  Buffer.from('\n%%EOF\n'),
]);
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), randomBytes(1000)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(500)]);

/** Every file under a folder (recursively). */
function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  for (const e of entries) {
    const full = path.join(dir, e);
    out = statSync(full).isDirectory() ? out.concat(filesUnder(full)) : out.concat(full);
  }
  return out;
}

describe('messages', () => {
  it('the customer writes, the lab reads and answers; each side is notified, the timeline has no text', async () => {
    const sent = await post(`/v1/orders/${orderId}/messages`, 'sme', {
      body: '请问盐雾试验能否在本周五前出具中期照片？',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const m = sent.json<Message>();
    expect(m).toMatchObject({ side: 'customer', body: '请问盐雾试验能否在本周五前出具中期照片？', attachments: [] });
    expect(m.author.id).toBe(uid.sme);

    const answer = await post(`/v1/orders/${orderId}/messages`, 'lab', { body: '可以，48 小时节点会拍照上传。' });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json<Message>().side).toBe('lab');

    const list = await get(`/v1/orders/${orderId}/messages`, 'lab');
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json<MessageList>();
    expect(body.items.map((i) => i.body)).toEqual([
      '请问盐雾试验能否在本周五前出具中期照片？',
      '可以，48 小时节点会拍照上传。',
    ]);
    expect(body.canPost).toBe(true);
    expect(body.closed).toBe(false);

    const { rows: toLab } = await t.db.pool.query<{
      user_id: string;
      link: string;
      title_zh: string;
      title_en: string;
    }>(`SELECT user_id, link, title_zh, title_en FROM notifications WHERE dedupe_key LIKE $1`, [
      `order-message:${m.id}:%`,
    ]);
    expect(toLab.map((n) => n.user_id)).toContain(uid.lab);
    expect(toLab.map((n) => n.user_id)).not.toContain(uid.sme);
    expect(toLab[0]!.link).toBe(`/console/orders/${orderId}`);
    expect(toLab[0]!.title_zh).toMatch(/新消息/);
    expect(toLab[0]!.title_en).toMatch(/New message/);
    const { rows: toCustomer } = await t.db.pool.query<{ user_id: string; link: string }>(
      `SELECT user_id, link FROM notifications WHERE dedupe_key LIKE $1`,
      [`order-message:${answer.json<Message>().id}:%`],
    );
    expect(toCustomer).toEqual([{ user_id: uid.sme, link: `/orders/${orderId}` }]);

    const { rows: events } = await t.db.pool.query<{ action: string; actor_side: string; data: unknown }>(
      `SELECT action, actor_side, data FROM order_events WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
    expect(events.map((e) => [e.action, e.actor_side])).toEqual([
      ['message.posted', 'customer'],
      ['message.posted', 'lab'],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/盐雾|48 小时/);
  });

  it('refuses empty and oversized text, and unknown fields', async () => {
    expectProblem(await post(`/v1/orders/${orderId}/messages`, 'sme', { body: '' }), 400, 'validation_failed');
    expectProblem(await post(`/v1/orders/${orderId}/messages`, 'sme', { body: '   \n ' }), 400, 'validation_failed');
    expectProblem(
      await post(`/v1/orders/${orderId}/messages`, 'sme', { body: 'x'.repeat(5001) }),
      400,
      'validation_failed',
    );
    expectProblem(
      await post(`/v1/orders/${orderId}/messages`, 'sme', { body: 'hi', side: 'lab' }),
      400,
      'validation_failed',
    );
  });

  it('access: only the customer and the lab read and write; the officer, the admin and strangers get 404', async () => {
    const url = `/v1/orders/${orderId}/messages`;
    for (const who of ['sme', 'lab', 'operator'] as const) {
      const res = await get(url, who);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      expect(res.json<MessageList>().canPost, who).toBe(true);
    }
    // The officer may see the order itself, but the conversation is between the two parties only.
    expect((await get(`/v1/orders/${orderId}`, 'officer')).statusCode).toBe(200);
    for (const who of ['officer', 'admin', 'sme2', 'lab2'] as const)
      expectProblem(await get(url, who), 404, 'not_found');
    expectProblem(await get(url, null), 401, 'unauthenticated');

    expect((await post(url, 'operator', { body: '样品已放入 2 号盐雾箱。' })).statusCode).toBe(201);
    for (const who of ['officer', 'admin', 'sme2', 'lab2'] as const)
      expectProblem(await post(url, who, { body: '你好' }), 404, 'not_found');
    expectProblem(await post(url, null, { body: '你好' }), 401, 'unauthenticated');
    expectProblem(await get(`/v1/orders/${randomUUID()}/messages`, 'sme'), 404, 'not_found');
  });

  it('is read-only once an order has been cancelled or closed for more than 30 days', async () => {
    const day = 24 * 3600_000;
    const oldCancel = await insertOrder('cancelled', {
      cancelled_at: new Date(clock.now.getTime() - 31 * day),
      updated_at: new Date(clock.now.getTime() - 31 * day),
    });
    const recentClose = await insertOrder('closed', { closed_at: new Date(clock.now.getTime() - 29 * day) });
    const oldClose = await insertOrder('closed', { closed_at: new Date(clock.now.getTime() - 45 * day) });
    expectProblem(
      await post(`/v1/orders/${oldCancel}/messages`, 'sme', { body: '还在吗？' }),
      409,
      'conversation_closed',
    );
    expectProblem(await post(`/v1/orders/${oldClose}/messages`, 'lab', { body: '回访' }), 409, 'conversation_closed');
    expectProblem(
      await upload('sme', [{ name: 'file', filename: 'a.pdf', type: 'application/pdf', content: PDF }], oldClose),
      409,
      'conversation_closed',
    );
    expect((await post(`/v1/orders/${recentClose}/messages`, 'sme', { body: '报告已收到，谢谢。' })).statusCode).toBe(
      201,
    );
    const list = (await get(`/v1/orders/${oldClose}/messages`, 'sme')).json<MessageList>();
    expect(list).toMatchObject({ closed: true, canPost: false, items: [] });
    // A requested order (not yet quoted) may already be discussed.
    const fresh = await insertOrder('requested');
    expect((await post(`/v1/orders/${fresh}/messages`, 'lab', { body: '请补充样品规格。' })).statusCode).toBe(201);
  });

  it('is paged: the newest page first, each page oldest first, and the pages together hold every message once', async () => {
    const long = await insertOrder('in_progress');
    // 130 messages, more than the largest page; every third one shares its instant with the one before
    // (the id decides between them), and the others are a microsecond apart.
    await t.db.pool.query(
      `INSERT INTO order_messages (order_id, author_user_id, author_side, body, created_at)
       SELECT $1, CASE WHEN n % 2 = 0 THEN $2::uuid ELSE $3::uuid END, CASE WHEN n % 2 = 0 THEN 'customer' ELSE 'lab' END,
         'message ' || n, timestamptz '2026-11-20 02:00:00+00' + make_interval(secs => (n - n % 3) * 0.000001)
       FROM generate_series(1, 130) AS n`,
      [long, uid.sme, uid.lab],
    );
    const { rows } = await t.db.pool.query<{ id: string }>(
      'SELECT id FROM order_messages WHERE order_id = $1 ORDER BY created_at, id',
      [long],
    );
    const everyId = rows.map((r) => r.id);
    type Page = MessageList & { nextCursor: string | null };
    const read = async (query: string) => {
      const res = await get(`/v1/orders/${long}/messages${query}`, 'sme');
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Page>();
    };

    const first = await read('');
    expect(first.items.map((m) => m.id)).toEqual(everyId.slice(-20));
    expect(first.canPost).toBe(true);
    expect(first.nextCursor).toEqual(expect.any(String));

    for (const limit of [20, 7, 100]) {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await read(`?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        pages.push(page.items.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages.length).toBe(Math.ceil(130 / limit));
      expect(pages.reverse().flat()).toEqual(everyId);
    }

    expectProblem(await get(`/v1/orders/${long}/messages?limit=101`, 'sme'), 400, 'validation_failed');
    expectProblem(await get(`/v1/orders/${long}/messages?limit=0`, 'sme'), 400, 'validation_failed');
    expectProblem(await get(`/v1/orders/${long}/messages?cursor=not-a-cursor`, 'sme'), 400, 'invalid_cursor');
    // Another list's cursor is refused, not read as this one's.
    const inbox = (await get('/v1/notifications?limit=1', 'sme')).json<{ nextCursor: string | null }>();
    if (inbox.nextCursor) {
      expectProblem(
        await get(`/v1/orders/${long}/messages?cursor=${encodeURIComponent(inbox.nextCursor)}`, 'sme'),
        400,
        'invalid_cursor',
      );
    }
  });
});

describe('attachments', () => {
  it('uploads a PDF with a note, stores it under the order with its hash, and serves it to the parties', async () => {
    const res = await upload('sme', [
      { name: 'body', content: '附件为样品技术要求。' },
      { name: 'file', filename: '../../样品技术要求 (V2).pdf', type: 'application/pdf', content: PDF },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json<Message>();
    expect(m.body).toBe('附件为样品技术要求。');
    expect(m.attachments).toHaveLength(1);
    const a = m.attachments[0]!;
    const sha = createHash('sha256').update(PDF).digest('hex');
    expect(a).toMatchObject({
      fileName: '样品技术要求 (V2).pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: sha,
      downloadUrl: `/v1/orders/${orderId}/attachments/${a.id}`,
    });

    const { rows } = await t.db.pool.query<{ storage_path: string; message_id: string }>(
      'SELECT storage_path, message_id FROM order_attachments WHERE id = $1',
      [a.id],
    );
    expect(rows[0]!.storage_path).toBe(`attachments/${orderId}/${a.id}`);
    expect(rows[0]!.message_id).toBe(m.id);
    const filesDir = t.app.ctx.config.filesDir;
    expect(statSync(path.join(filesDir, rows[0]!.storage_path)).size).toBe(PDF.length);
    expect(filesUnder(path.join(filesDir, 'tmp'))).toEqual([]);

    for (const who of ['sme', 'lab', 'operator'] as const) {
      const dl = await get(a.downloadUrl!, who);
      expect(dl.statusCode, who).toBe(200);
      expect(dl.headers['content-type']).toBe('application/pdf');
      expect(dl.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent('样品技术要求 (V2).pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
      );
      expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
      expect(createHash('sha256').update(dl.rawPayload).digest('hex')).toBe(sha);
    }
    for (const who of ['officer', 'admin', 'sme2', 'lab2'] as const) {
      expectProblem(await get(a.downloadUrl!, who), 404, 'not_found');
    }
    expectProblem(await get(a.downloadUrl!, null), 401, 'unauthenticated');
    // An attachment id under another order is not found.
    const other = await insertOrder('requested');
    expectProblem(await get(`/v1/orders/${other}/attachments/${a.id}`, 'sme'), 404, 'not_found');

    // The officer and the admin do not even see the file in the conversation.
    for (const who of ['officer', 'admin'] as const) {
      expectProblem(await get(`/v1/orders/${orderId}/messages`, who), 404, 'not_found');
    }

    const { rows: events } = await t.db.pool.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM order_events WHERE order_id = $1 AND data->>'messageId' = $2`,
      [orderId, m.id],
    );
    expect(events[0]!.data).toMatchObject({ attachmentId: a.id, contentType: 'application/pdf' });
    expect(JSON.stringify(events[0]!.data)).not.toContain('样品技术要求');
  });

  it('the lab sends a PNG, a CSV in Chinese and an Excel workbook without text', async () => {
    const png = await upload('lab', [{ name: 'file', filename: '48h 外观.png', type: 'image/png', content: PNG }]);
    expect(png.statusCode, png.body).toBe(201);
    expect(png.json<Message>()).toMatchObject({ side: 'lab', body: '', attachments: [{ contentType: 'image/png' }] });
    const csv = await upload('lab', [
      {
        name: 'file',
        filename: '结果.csv',
        type: 'application/vnd.ms-excel',
        content: '样品,结果\r\n镀锌钢板 Q235B,合格\r\n',
      },
    ]);
    expect(csv.statusCode, csv.body).toBe(201);
    expect(csv.json<Message>().attachments[0]!.contentType).toBe('text/csv');
    const xlsx = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.from('....[Content_Types].xml....xl/workbook.xml....xl/worksheets/sheet1.xml', 'latin1'),
    ]);
    const sheet = await upload('lab', [
      { name: 'file', filename: '原始记录.xlsx', type: 'application/octet-stream', content: xlsx },
    ]);
    expect(sheet.statusCode, sheet.body).toBe(201);
    // The customer is told, with the file name since there is no text.
    const { rows } = await t.db.pool.query<{ body_zh: string }>(
      `SELECT body_zh FROM notifications WHERE dedupe_key = $1`,
      [`order-message:${png.json<Message>().id}:${uid.sme}`],
    );
    expect(rows[0]!.body_zh).toContain('48h 外观.png');
  });

  it('refuses a program renamed to .pdf, a type that contradicts the name, and unknown types; nothing is kept', async () => {
    const before = {
      attachments: await countRows(t.db, 'order_attachments'),
      messages: await countRows(t.db, 'order_messages'),
      events: await countRows(t.db, 'order_events'),
    };
    const filesBefore = filesUnder(t.app.ctx.config.filesDir).sort();
    const refusals: [Part[], number, ProblemCode][] = [
      [[{ name: 'file', filename: '报告.pdf', type: 'application/pdf', content: EXE }], 415, 'unsupported_file_type'],
      [
        [{ name: 'file', filename: 'setup.exe', type: 'application/x-msdownload', content: EXE }],
        415,
        'unsupported_file_type',
      ],
      [[{ name: 'file', filename: 'photo.png', type: 'application/pdf', content: PNG }], 415, 'unsupported_file_type'],
      [[{ name: 'file', filename: 'photo.jpg', type: 'image/jpeg', content: PNG }], 415, 'unsupported_file_type'],
      [[{ name: 'file', filename: 'notes.txt', type: 'text/plain', content: EXE }], 415, 'unsupported_file_type'],
      [
        [
          {
            name: 'file',
            filename: 'fake.docx',
            type: 'application/octet-stream',
            content: Buffer.from('PK\x03\x04 nothing', 'latin1'),
          },
        ],
        415,
        'unsupported_file_type',
      ],
      [
        [{ name: 'file', filename: 'empty.pdf', type: 'application/pdf', content: Buffer.alloc(0) }],
        400,
        'validation_failed',
      ],
      [[{ name: 'body', content: '只有文字' }], 400, 'validation_failed'],
      [
        [
          { name: 'file', filename: 'a.pdf', type: 'application/pdf', content: PDF },
          { name: 'file', filename: 'b.pdf', type: 'application/pdf', content: PDF },
        ],
        400,
        'validation_failed',
      ],
      [
        [
          { name: 'file', filename: 'a.pdf', type: 'application/pdf', content: PDF },
          { name: 'title', content: 'x' },
        ],
        400,
        'validation_failed',
      ],
      [
        [
          { name: 'body', content: '长'.repeat(5001) },
          { name: 'file', filename: 'a.pdf', type: 'application/pdf', content: PDF },
        ],
        400,
        'validation_failed',
      ],
    ];
    for (const [parts, status, code] of refusals) {
      expectProblem(await upload('sme', parts), status, code);
    }
    // Not multipart at all.
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `/v1/orders/${orderId}/attachments`,
        payload: { file: 'x' },
        headers: bearer(tok.sme),
      }),
      415,
      'unsupported_media_type',
    );
    expect(await countRows(t.db, 'order_attachments')).toBe(before.attachments);
    expect(await countRows(t.db, 'order_messages')).toBe(before.messages);
    expect(await countRows(t.db, 'order_events')).toBe(before.events);
    expect(filesUnder(t.app.ctx.config.filesDir).sort()).toEqual(filesBefore);
  });

  it('access: anyone but the two parties gets 404 before anything is stored', async () => {
    const before = await countRows(t.db, 'order_attachments');
    const parts = [{ name: 'file', filename: 'a.pdf', type: 'application/pdf', content: PDF }];
    for (const who of ['sme2', 'lab2', 'officer', 'admin'] as const) {
      expectProblem(await upload(who, parts), 404, 'not_found');
    }
    expectProblem(await upload(null, parts), 401, 'unauthenticated');
    expect(await countRows(t.db, 'order_attachments')).toBe(before);
    expect(filesUnder(path.join(t.app.ctx.config.filesDir, 'tmp'))).toEqual([]);
  });
});

describe('upload size limit', () => {
  let small: FastifyInstance;
  beforeAll(async () => {
    small = await buildTestApp(t.db, { clock, env: { UPLOAD_MAX_BYTES: '4096' } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 file_too_large and keeps nothing; at the limit it is taken', async () => {
    const before = await countRows(t.db, 'order_attachments');
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096)]);
    const res = await upload(
      'sme',
      [{ name: 'file', filename: 'big.pdf', type: 'application/pdf', content: big }],
      orderId,
      small,
    );
    expectProblem(res, 413, 'file_too_large');
    expect(await countRows(t.db, 'order_attachments')).toBe(before);
    expect(filesUnder(small.ctx.config.filesDir)).toEqual([]);

    const exact = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096 - 9)]);
    const ok = await upload(
      'sme',
      [{ name: 'file', filename: 'ok.pdf', type: 'application/pdf', content: exact }],
      orderId,
      small,
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Message>().attachments[0]!.sizeBytes).toBe(4096);
    expect(filesUnder(path.join(small.ctx.config.filesDir, 'attachments'))).toHaveLength(1);

    const list = (await get(`/v1/orders/${orderId}/messages`, 'sme', small)).json<MessageList>();
    expect(list.maxFileBytes).toBe(4096);
  });
});
