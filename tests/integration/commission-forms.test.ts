import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { anOrder, COMMISSION, orgOf, serviceId, signIn, USERS, type Detail } from '../factories/index.ts';
import { pdfText } from '../support/pdf-text.ts';

/**
 * Issue 13: the commission form (委托单) as a document. Once the customer accepted the quote, both
 * parties print it as a PDF (the two parties' particulars, the agreed tests, the form the customer
 * filled in, turnaround, fees, signature boxes); the lab attaches the scan of the copy the customer
 * signed and stamped (checked by content, size-limited, replaceable, on the timeline), and both
 * download it. Another organisation gets 404.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

type Who = 'sme' | 'sme2' | 'lab' | 'operator' | 'lab2' | 'officer';
let tk: Record<Who, string>;
let labId: string;
let saltSpray: string;

interface State {
  orderId: string;
  orderNumber: string;
  printable: boolean;
  mayAttachScan: boolean;
  scan: {
    fileName: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    uploadedAt: string;
    uploadedBy: { id: string; name: string } | null;
  } | null;
}

/** A multipart/form-data body with one file part, as a browser sends it. */
function filePart(filename: string, type: string, content: Buffer) {
  const boundary = '----qihubcommissionscan7';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), Buffer.alloc(500, 0x20)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 1)]);
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]),
  Buffer.alloc(300, 2),
]);

const get = (token: string | null, url: string) =>
  t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
const upload = (token: string | null, orderId: string, name: string, type: string, content: Buffer) => {
  const f = filePart(name, type, content);
  return t.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/commission-form/scan`,
    payload: f.payload,
    headers: { ...f.headers, ...(token ? bearer(token) : {}) },
  });
};

const scanRows = async (orderId: string) =>
  (
    await t.db.pool.query<{ file_path: string; file_sha256: string }>(
      'SELECT file_path, file_sha256 FROM order_commission_scans WHERE order_id = $1',
      [orderId],
    )
  ).rows;
const events = async (orderId: string) =>
  (
    await t.db.pool.query<{ action: string; actor_side: string; data: Record<string, unknown> }>(
      `SELECT action, actor_side, data FROM order_events WHERE order_id = $1 AND action LIKE 'commission.%' ORDER BY id`,
      [orderId],
    )
  ).rows;
const filesDir = () => (t.app as unknown as { ctx: { config: { filesDir: string } } }).ctx.config.filesDir;

beforeAll(async () => {
  tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'operator', 'lab2', 'officer']);
  labId = await orgOf(t.db, USERS.lab);
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
});

const order = () => anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 96);

describe('the printable commission form', () => {
  let accepted: Detail;
  beforeAll(async () => {
    accepted = await order().accepted({ deadlineTierDays: 15 });
  });

  it('holds both parties, the agreed tests, the filled-in form, turnaround, fees and both signature boxes', async () => {
    const res = await get(tk.sme, `/v1/orders/${accepted.order.id}/commission-form/pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`commission-${accepted.order.number}.pdf`);
    const text = await pdfText(res.rawPayload);
    const { rows: orgs } = await t.db.pool.query<{ id: string; name_zh: string; credit_code: string | null }>(
      'SELECT id, name_zh, credit_code FROM organisations WHERE id IN ($1, (SELECT customer_org_id FROM orders WHERE id = $2))',
      [labId, accepted.order.id],
    );
    const lab = orgs.find((o) => o.id === labId)!;
    const customer = orgs.find((o) => o.id !== labId)!;
    const { rows: certs } = await t.db.pool.query<{ kind: string; number: string }>(
      `SELECT kind, number FROM lab_qualifications WHERE lab_id = $1 AND withdrawn_on IS NULL
         AND issued_on <= '2026-11-26' AND valid_until >= '2026-11-26'`,
      [labId],
    );
    const flat = text.replace(/\s+/g, '');
    for (const expected of [
      '检验检测委托单',
      accepted.order.number,
      customer.name_zh,
      customer.credit_code!,
      lab.name_zh,
      ...certs.filter((c) => c.kind === 'cma').map((c) => c.number),
      '中性盐雾试验',
      'GB/T10125',
      COMMISSION.sampleName,
      COMMISSION.manufacturer,
      COMMISSION.batch,
      '检后退还委托方',
      '15个工作日',
      '委托方签字（盖章）',
      '受理方签字',
    ]) {
      expect(flat, expected).toContain(expected.replace(/\s+/g, ''));
    }
    expect(certs.some((c) => c.kind === 'cma')).toBe(true);
    // The figures: 96 hours at the line's unit price, and the total in yuan.
    const line = accepted.lines[0]!;
    const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    expect(flat).toContain('96小时');
    expect(flat).toContain(`¥${yuan(line.unitPrice!.amount)}`);
    expect(flat).toContain(`¥${yuan(accepted.order.total.amount)}`);
  });

  it('is the same bytes for the lab, and the same on a second print', async () => {
    const a = await get(tk.sme, `/v1/orders/${accepted.order.id}/commission-form/pdf`);
    const b = await get(tk.lab, `/v1/orders/${accepted.order.id}/commission-form/pdf`);
    expect(b.statusCode).toBe(200);
    expect(Buffer.compare(a.rawPayload, b.rawPayload)).toBe(0);
  });

  it('is refused before acceptance (409), to the officer (403), and to other organisations (404)', async () => {
    const quoted = await order().quoted();
    expectProblem(
      await get(tk.sme, `/v1/orders/${quoted.order.id}/commission-form/pdf`),
      409,
      'commission_form_missing',
    );
    const state = await get(tk.lab, `/v1/orders/${quoted.order.id}/commission-form`);
    expect(state.json<State>()).toMatchObject({ printable: false, mayAttachScan: false, scan: null });
    const url = `/v1/orders/${accepted.order.id}/commission-form/pdf`;
    expectProblem(await get(null, url), 401, 'unauthenticated');
    expectProblem(await get(tk.sme2, url), 404, 'not_found');
    expectProblem(await get(tk.lab2, url), 404, 'not_found');
    const officer = await get(tk.officer, url);
    expect([403, 404]).toContain(officer.statusCode);
  });
});

describe('the signed and stamped scan', () => {
  let d: Detail;
  beforeAll(async () => {
    d = await order().accepted({ expedite: 'h72' });
  });

  it('starts as not attached; the lab (managers and staff) may attach it, the customer may not', async () => {
    const lab = (await get(tk.lab, `/v1/orders/${d.order.id}/commission-form`)).json<State>();
    expect(lab).toMatchObject({ orderNumber: d.order.number, printable: true, mayAttachScan: true, scan: null });
    const customer = (await get(tk.sme, `/v1/orders/${d.order.id}/commission-form`)).json<State>();
    expect(customer).toMatchObject({ printable: true, mayAttachScan: false, scan: null });
    expectProblem(await get(tk.sme, `/v1/orders/${d.order.id}/commission-form/scan`), 404, 'not_found');
  });

  it('refuses strangers, the customer, an operator, a renamed non-image and a file over 10 MiB, storing nothing', async () => {
    const id = d.order.id;
    expectProblem(await upload(null, id, 'scan.pdf', 'application/pdf', PDF), 401, 'unauthenticated');
    expectProblem(await upload(tk.sme, id, 'scan.pdf', 'application/pdf', PDF), 403, 'forbidden');
    expectProblem(await upload(tk.operator, id, 'scan.pdf', 'application/pdf', PDF), 403, 'forbidden');
    expectProblem(await upload(tk.lab2, id, 'scan.pdf', 'application/pdf', PDF), 404, 'not_found');
    expectProblem(await upload(tk.sme2, id, 'scan.pdf', 'application/pdf', PDF), 404, 'not_found');
    // Checked by content, not by name: a text file or an executable renamed to .png / .pdf is refused.
    expectProblem(
      await upload(tk.lab, id, 'scan.png', 'image/png', Buffer.from('盖章扫描件（其实是文本）\n'.repeat(20))),
      415,
      'unsupported_file_type',
    );
    expectProblem(
      await upload(tk.lab, id, 'scan.pdf', 'application/pdf', Buffer.from('MZ\x90\x00 not a pdf at all')),
      415,
      'unsupported_file_type',
    );
    // A PNG named .jpg is not what its name says either.
    expectProblem(await upload(tk.lab, id, 'scan.jpg', 'image/jpeg', PNG), 415, 'unsupported_file_type');
    expectProblem(
      await upload(tk.lab, id, 'scan.txt', 'text/plain', Buffer.from('hello')),
      415,
      'unsupported_file_type',
    );
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024, 0x20)]);
    expectProblem(await upload(tk.lab, id, 'big.pdf', 'application/pdf', big), 413, 'file_too_large');
    // Before acceptance there is no form to attach it to.
    const quoted = await order().quoted();
    expectProblem(
      await upload(tk.lab, quoted.order.id, 'scan.pdf', 'application/pdf', PDF),
      409,
      'commission_form_missing',
    );
    expect(await scanRows(id)).toEqual([]);
    expect(await events(id)).toEqual([]);
  });

  it('is attached as a PDF by the lab, recorded on the timeline, and downloaded by the customer and the lab', async () => {
    const res = await upload(tk.lab, d.order.id, '委托单-盖章.pdf', 'application/pdf', PDF);
    expect(res.statusCode, res.body).toBe(200);
    const state = res.json<State>();
    expect(state.scan).toMatchObject({ contentType: 'application/pdf', sizeBytes: PDF.length });
    expect(state.scan!.uploadedBy).not.toBeNull();
    expect(state.scan!.uploadedAt).toBe(clock.now.toISOString());
    expect(await events(d.order.id)).toEqual([
      expect.objectContaining({ action: 'commission.scan_attached', actor_side: 'lab' }),
    ]);
    for (const who of [tk.sme, tk.lab, tk.operator]) {
      const file = await get(who, `/v1/orders/${d.order.id}/commission-form/scan`);
      expect(file.statusCode, file.body).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(Buffer.compare(file.rawPayload, PDF)).toBe(0);
    }
    // The customer's order page sees it too, in the timeline.
    const detail = await get(tk.sme, `/v1/orders/${d.order.id}`);
    expect(detail.json<Detail>().timeline.map((e) => e.action)).toContain('commission.scan_attached');
    for (const stranger of [tk.sme2, tk.lab2]) {
      expectProblem(await get(stranger, `/v1/orders/${d.order.id}/commission-form/scan`), 404, 'not_found');
      expectProblem(await get(stranger, `/v1/orders/${d.order.id}/commission-form`), 404, 'not_found');
    }
  });

  it('is replaced by a JPEG and then a PNG; the file it replaces is removed from disk', async () => {
    const [first] = await scanRows(d.order.id);
    const firstOnDisk = path.join(filesDir(), first!.file_path);
    expect(existsSync(firstOnDisk)).toBe(true);
    const jpeg = await upload(tk.lab, d.order.id, 'scan.jpeg', 'image/jpeg', JPEG);
    expect(jpeg.statusCode, jpeg.body).toBe(200);
    expect(jpeg.json<State>().scan).toMatchObject({ contentType: 'image/jpeg', sizeBytes: JPEG.length });
    expect(existsSync(firstOnDisk)).toBe(false);
    const png = await upload(tk.lab, d.order.id, 'scan.png', 'image/png', PNG);
    expect(png.json<State>().scan).toMatchObject({ contentType: 'image/png' });
    const file = await get(tk.sme, `/v1/orders/${d.order.id}/commission-form/scan`);
    expect(file.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(file.rawPayload, PNG)).toBe(0);
    expect((await events(d.order.id)).map((e) => e.action)).toEqual([
      'commission.scan_attached',
      'commission.scan_replaced',
      'commission.scan_replaced',
    ]);
    expect(await scanRows(d.order.id)).toHaveLength(1);
  });
});
