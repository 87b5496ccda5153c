import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { bearer } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import type { Detail } from './orders.ts';

/**
 * What every factory works on: the app under test (rows are made through its HTTP API, as a user
 * would) and its database (for the few things only a seed or an operator sets). `useSeededApp()`'s
 * `t` is one; so is `{ app, db }` in a file that builds its own.
 */
export interface World {
  app: FastifyInstance;
  db: TestDatabase;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Authenticated requests to one app: `const call = api(t.app); await call(tok.sme, 'GET', url)`. */
export function api(app: FastifyInstance) {
  return function call(
    token: string,
    method: Method,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, headers: { ...bearer(token), ...headers }, payload: payload as never });
  };
}

/**
 * Asserts the status (the body is the failure message) and returns the parsed body — an order's
 * detail unless told otherwise, the answer most of these tests read.
 */
export function ok<T = Detail>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

/** Runs `fn` with the clock at `iso`, then puts it back. */
export async function atTime<T>(clock: { now: Date }, iso: string, fn: () => Promise<T>): Promise<T> {
  const before = clock.now;
  clock.now = new Date(iso);
  try {
    return await fn();
  } finally {
    clock.now = before;
  }
}
