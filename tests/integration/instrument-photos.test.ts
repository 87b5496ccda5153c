import { existsSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { filePart, fileSender } from '../support/uploads.ts';

/**
 * Issue 13: instruments have photos. A lab's manager uploads one (told by its content, not its name),
 * the API keeps it as two WebP sizes, upright and without metadata, served to anyone from URLs that
 * name the content and may be cached for a year; another lab cannot touch it.
 */
const t = useSeededApp({ clock: testClock() });

interface Photo {
  hash: string;
  variants: { width: number; height: number; url: string }[];
}

/** A landscape PNG with a gradient, 1200 × 800. */
const landscapePng = () =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6ea5' } })
    .composite([{ input: Buffer.from('<svg width="600" height="400"><circle cx="300" cy="200" r="150"/></svg>') }])
    .png()
    .toBuffer();

/** A small PNG whose header is rewritten to claim width × height (a decompression bomb's shape). */
async function claimingPng(width: number, height: number) {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  // IHDR: length (8..11), type (12..15), width (16..19), height (20..23), …, CRC of type+data (29..32).
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

const filesDir = () => (t.app as unknown as { ctx: { config: { filesDir: string } } }).ctx.config.filesDir;
const instrumentRow = async (id: string) =>
  (
    await t.db.pool.query<{ photo: unknown; updated_at: Date }>(
      'SELECT photo, updated_at FROM instruments WHERE id = $1',
      [id],
    )
  ).rows[0]!;

describe('an instrument’s photo', () => {
  it('is uploaded by a manager, kept as WebP sizes under a content URL cached for a year, replaced and removed', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const lab2Id = await orgOf(t.db, USERS.lab2);
    const instrument = await anInstrumentOf(t.db, labId);
    const [manager, operator, lab2, sme] = [
      await login(t.app, USERS.lab),
      await login(t.app, USERS.operator),
      await login(t.app, USERS.lab2),
      await login(t.app, USERS.sme),
    ];
    const url = `/v1/instruments/${instrument.id}/photo`;
    const send = fileSender(t, 'PUT', url);
    const png = await landscapePng();
    const before = await instrumentRow(instrument.id);
    expect(before.photo).toBeNull();

    // Who: strangers, staff who are not managers, another lab.
    expectProblem(await send(null, 'sem.png', 'image/png', png), 401, 'unauthenticated');
    expectProblem(await send(operator, 'sem.png', 'image/png', png), 403, 'forbidden');
    expectProblem(await send(lab2, 'sem.png', 'image/png', png), 403, 'forbidden');
    expectProblem(await send(sme, 'sem.png', 'image/png', png), 403, 'forbidden');
    // What: a renamed text file, a PDF, a decompression bomb, more than 10 MiB.
    expectProblem(
      await send(manager, 'sem.png', 'image/png', Buffer.from('just some text')),
      415,
      'unsupported_file_type',
    );
    expectProblem(
      await send(manager, 'notes.txt', 'text/plain', Buffer.from('plain text')),
      415,
      'unsupported_file_type',
    );
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
      Buffer.alloc(200, 0x20),
    ]);
    expectProblem(await send(manager, 'sem.pdf', 'application/pdf', pdf), 415, 'unsupported_file_type');
    expectProblem(
      await send(manager, 'bomb.png', 'image/png', await claimingPng(20_000, 20_000)),
      422,
      'image_too_large',
    );
    const huge = Buffer.concat([png.subarray(0, 64), Buffer.alloc(10 * 1024 * 1024 + 1, 7)]);
    expectProblem(await send(manager, 'huge.png', 'image/png', huge), 413, 'file_too_large');
    expect(await instrumentRow(instrument.id)).toEqual(before);
    const dir = path.join(filesDir(), 'instrument-photos', labId, instrument.id);
    expect(existsSync(dir) ? (await import('node:fs')).readdirSync(dir) : []).toEqual([]);

    const sent = await send(manager, 'SEM 全景.png', 'image/png', png);
    expect(sent.statusCode, sent.body).toBe(200);
    const photo = sent.json<{ photo: Photo }>().photo;
    expect(photo.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(photo.variants.map((v) => [v.width, v.height])).toEqual([
      [320, 213],
      [960, 640],
    ]);
    expect(photo.variants[0]!.url).toBe(`/v1/instruments/${instrument.id}/photos/${photo.hash}-w320.webp`);

    // Anyone may fetch it (the catalogue is public), cached for a year; the ETag answers 304.
    for (const v of photo.variants) {
      const got = await t.app.inject({ method: 'GET', url: v.url });
      expect(got.statusCode, got.body).toBe(200);
      expect(got.headers['content-type']).toBe('image/webp');
      expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(got.headers.etag).toBeTruthy();
      const meta = await sharp(got.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['webp', v.width, v.height, undefined]);
      const again = await t.app.inject({
        method: 'GET',
        url: v.url,
        headers: { 'if-none-match': String(got.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
    }
    // The catalogue shows it on the card and the page.
    const search = await t.app.inject({ method: 'GET', url: `/v1/instruments?limit=100` });
    const card = search
      .json<{ items: { id: string; photo: Photo | null }[] }>()
      .items.find((i) => i.id === instrument.id);
    expect(card?.photo).toEqual(photo);

    // Another lab cannot remove it, nor reach it through its own id space.
    expectProblem(await t.app.inject({ method: 'DELETE', url, headers: bearer(lab2) }), 403, 'forbidden');
    const other = await anInstrumentOf(t.db, lab2Id);
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/v1/instruments/${other.id}/photos/${photo.hash}-w320.webp` }),
      404,
      'not_found',
    );

    // A photo taken sideways (EXIF orientation 6) is stored upright; a narrow one is not enlarged.
    const sideways = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#884422' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const replaced = await send(manager, 'IMG_0001.JPG', 'image/jpeg', sideways);
    expect(replaced.statusCode, replaced.body).toBe(200);
    const upright = replaced.json<{ photo: Photo }>().photo;
    expect(upright.hash).not.toBe(photo.hash);
    expect(upright.variants.map((v) => [v.width, v.height])).toEqual([
      [320, 427],
      [600, 800],
    ]);
    // The replaced photo's URLs are gone, and so are its files.
    expectProblem(await t.app.inject({ method: 'GET', url: photo.variants[0]!.url }), 404, 'not_found');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).sort()).toEqual([`${upright.hash}-w320.webp`, `${upright.hash}-w960.webp`]);

    const removed = await t.app.inject({ method: 'DELETE', url, headers: bearer(manager) });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<{ photo: Photo | null }>().photo).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    expectProblem(await t.app.inject({ method: 'GET', url: upright.variants[1]!.url }), 404, 'not_found');
    // Removing again changes nothing.
    const still = await instrumentRow(instrument.id);
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(manager) })).statusCode).toBe(200);
    expect(await instrumentRow(instrument.id)).toEqual(still);

    const audit = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'instrument.photo%' ORDER BY id`,
      [instrument.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'instrument.photo_set',
      'instrument.photo_set',
      'instrument.photo_removed',
    ]);
  });

  it('is not taken for a retired instrument, nor for an instrument that does not exist', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    const png = await landscapePng();
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(manager),
      payload: {
        siteId: (await anInstrumentOf(t.db, labId)).site_id,
        nameZh: '退役的盐雾试验箱',
        categoryCode: 'salt_spray',
        rates: { internalHour: null, externalHour: 8000, internalSample: null, externalSample: null },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await t.app.inject({ method: 'POST', url: `/v1/instruments/${id}/retire`, headers: bearer(manager) });
    const f = filePart('box.png', 'image/png', png);
    const put = (at: string) =>
      t.app.inject({ method: 'PUT', url: at, payload: f.payload, headers: { ...f.headers, ...bearer(manager) } });
    expectProblem(await put(`/v1/instruments/${id}/photo`), 409, 'instrument_retired');
    expectProblem(await put('/v1/instruments/00000000-0000-4000-8000-000000000000/photo'), 404, 'not_found');
  });
  it('of a retired instrument leaves the catalogue with it, and is served to its lab only', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const [manager, operator, lab2, sme] = [
      await login(t.app, USERS.lab),
      await login(t.app, USERS.operator),
      await login(t.app, USERS.lab2),
      await login(t.app, USERS.sme),
    ];
    const NAME = '即将退役的三坐标测量机';
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(manager),
      payload: {
        siteId: (await anInstrumentOf(t.db, labId)).site_id,
        nameZh: NAME,
        categoryCode: 'salt_spray',
        rates: { internalHour: null, externalHour: 8000, internalSample: null, externalSample: null },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const f = filePart('cmm.png', 'image/png', await landscapePng());
    const sent = await t.app.inject({
      method: 'PUT',
      url: `/v1/instruments/${id}/photo`,
      payload: f.payload,
      headers: { ...f.headers, ...bearer(manager) },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const photo = sent.json<{ photo: Photo }>().photo;
    const catalogue = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/v1/instruments?${query}&limit=100` }))
        .json<{ items: { id: string; photo: Photo | null }[] }>()
        .items.filter((i) => i.id === id);
    const everywhere = [`q=${encodeURIComponent(NAME)}`, `lab=${labId}`];
    for (const query of everywhere) expect((await catalogue(query))[0]?.photo, query).toEqual(photo);
    const fetchAs = (token: string | null, url: string) =>
      t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
    expect((await fetchAs(null, photo.variants[0]!.url)).statusCode).toBe(200);

    const retired = await t.app.inject({
      method: 'POST',
      url: `/v1/instruments/${id}/retire`,
      headers: bearer(manager),
    });
    expect(retired.statusCode, retired.body).toBe(200);

    // Off the catalogue (search and the lab's page), its page and its photo are gone for the public,
    // a customer and another lab alike.
    for (const query of everywhere) expect(await catalogue(query), query).toEqual([]);
    for (const token of [null, sme, lab2]) {
      expectProblem(await fetchAs(token, `/v1/instruments/${id}`), 404, 'not_found');
      for (const v of photo.variants) expectProblem(await fetchAs(token, v.url), 404, 'not_found');
    }
    // Its lab still sees it in the console, photo included, kept out of shared caches.
    for (const token of [manager, operator]) {
      const page = await fetchAs(token, `/v1/instruments/${id}`);
      expect(page.json<{ status: string; photo: Photo | null }>()).toMatchObject({ status: 'retired', photo });
      for (const v of photo.variants) {
        const got = await fetchAs(token, v.url);
        expect(got.statusCode, got.body).toBe(200);
        expect(got.headers['content-type']).toBe('image/webp');
        expect(got.headers['cache-control']).toBe('private, no-cache');
        const again = await t.app.inject({
          method: 'GET',
          url: v.url,
          headers: { ...bearer(token), 'if-none-match': String(got.headers.etag) },
        });
        expect(again.statusCode).toBe(304);
        expect(again.headers['cache-control']).toBe('private, no-cache');
      }
    }
    // The files stay: the row still names them, for the lab's history.
    const dir = path.join(filesDir(), 'instrument-photos', labId, id);
    expect(existsSync(path.join(dir, `${photo.hash}-w320.webp`))).toBe(true);
  });
});
