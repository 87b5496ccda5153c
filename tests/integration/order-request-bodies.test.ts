import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * The order routes decide who is calling before they read a request body: an anonymous client (or
 * a signed-in stranger to the order) cannot make the API buffer a 10 MiB image. Over real HTTP,
 * the client sends the headers and the first 64 KiB and then waits: an answer can only come from
 * a server that did not wait for the rest, which is never sent.
 */
const t = useSeededApp();
const TEN_MIB = 10 * 1024 * 1024;
const FIRST_CHUNK = 64 * 1024;

let port: number;
let labId: string;
let photoUrl: string;

beforeAll(async () => {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
  labId = await orgOf(t.db, USERS.lab);
  // A demo order of the demo lab whose samples are being received or worked on: photos allowed.
  const { rows } = await t.db.pool.query<{ order_id: string; sample_id: string }>(
    `SELECT o.id AS order_id, s.id AS sample_id FROM orders o JOIN order_samples s ON s.order_id = o.id
     WHERE o.lab_id = $1 AND o.status IN ('awaiting_samples', 'samples_received', 'in_progress') LIMIT 1`,
    [labId],
  );
  expect(rows[0], 'the demo seed has an order taking sample photos').toBeDefined();
  photoUrl = `/v1/orders/${rows[0]!.order_id}/samples/${rows[0]!.sample_id}/photo`;
});

interface EarlyAnswer {
  status: number;
  contentType: string | undefined;
  code: string | undefined;
}

/** Sends the head of a 10 MiB image upload and only the first chunk of its body; resolves with the answer. */
function answerToPartialUpload(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<EarlyAnswer>((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method,
      path,
      headers: { 'content-type': 'image/png', 'content-length': String(TEN_MIB), ...headers },
    });
    let answered = false;
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        answered = true;
        const text = Buffer.concat(chunks).toString('utf8');
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { code?: string }).code;
        } catch {
          code = undefined;
        }
        resolve({ status: response.statusCode!, contentType: response.headers['content-type'], code });
        request.destroy();
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.write(Buffer.alloc(FIRST_CHUNK, 0x89));
    // The other 10 MiB − 64 KiB are never sent.
  });
}

const someOrder = '5d9f3a70-0000-4000-8000-000000000001';

describe('order routes and request bodies', () => {
  it('an anonymous image body on any order route is answered 401 before it is read', { timeout: 20_000 }, async () => {
    for (const [method, path] of [
      ['POST', '/v1/orders'],
      ['POST', `/v1/orders/${someOrder}/quote`],
      ['POST', `/v1/orders/${someOrder}/accept`],
      ['POST', photoUrl],
      ['POST', `/v1/orders/${someOrder}/samples/${someOrder}/photo`],
      ['PUT', `/v1/labs/${labId}/order-settings`],
      // The order routes of the conversation and reports modules too.
      ['POST', `/v1/orders/${someOrder}/messages`],
      ['POST', `/v1/orders/${someOrder}/attachments`],
      ['POST', `/v1/orders/${someOrder}/rating`],
      ['POST', `/v1/orders/${someOrder}/rating/reply`],
      ['POST', `/v1/orders/${someOrder}/reports`],
    ] as const) {
      const answer = await answerToPartialUpload(method, path);
      expect(answer, `${method} ${path}`).toEqual({
        status: 401,
        contentType: expect.stringMatching(/^application\/problem\+json/),
        code: 'unauthenticated',
      });
    }
  });

  it(
    'a signed-in stranger to the order gets 404 for a photo before the body is read',
    { timeout: 20_000 },
    async () => {
      for (const who of [USERS.lab2, USERS.sme2]) {
        const answer = await answerToPartialUpload('POST', photoUrl, bearer(await login(t.app, who)));
        expect(answer, who).toEqual({
          status: 404,
          contentType: expect.stringMatching(/^application\/problem\+json/),
          code: 'not_found',
        });
      }
    },
  );

  it(
    'only the photo route takes an image body: elsewhere it is 415 before it is read',
    { timeout: 20_000 },
    async () => {
      const token = await login(t.app, USERS.lab);
      const answer = await answerToPartialUpload('POST', `/v1/orders/${someOrder}/quote`, bearer(token));
      expect(answer.status).toBe(415);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
    },
  );
});
