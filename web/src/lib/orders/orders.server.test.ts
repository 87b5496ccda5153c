import { describe, expect, it, vi } from 'vitest';
import type { Api } from '$lib/server/api';
import { loadMessages, MESSAGES_PER_PAGE } from './orders.server';

/** A stand-in for the typed client: answers GET with what `answer` says for the query it got. */
function fakeApi(answer: (query: Record<string, unknown>) => { status: number; data?: unknown }) {
  const calls: Record<string, unknown>[] = [];
  const GET = vi.fn(async (_path: string, init: { params: { query: Record<string, unknown> } }) => {
    calls.push(init.params.query);
    const { status, data } = answer(init.params.query);
    return { data, response: new Response(null, { status }) };
  });
  return { api: { GET } as unknown as Api, calls };
}

const page = (nextCursor: string | null) => ({ items: [], nextCursor, canPost: true, closed: false });

describe('loadMessages (one page of an order conversation)', () => {
  it('asks for the newest page, or the earlier page a cursor names', async () => {
    const { api, calls } = fakeApi(() => ({ status: 200, data: page('older') }));
    expect(await loadMessages(api, 'o1')).toEqual(page('older'));
    await loadMessages(api, 'o1', 'c2');
    expect(calls).toEqual([{ limit: MESSAGES_PER_PAGE }, { limit: MESSAGES_PER_PAGE, cursor: 'c2' }]);
  });

  it('falls back to the newest page when the API refuses the cursor', async () => {
    const { api, calls } = fakeApi((q) => (q.cursor ? { status: 400 } : { status: 200, data: page(null) }));
    expect(await loadMessages(api, 'o1', 'edited-by-hand')).toEqual(page(null));
    expect(calls).toHaveLength(2);
  });

  it('is null when the conversation cannot be read', async () => {
    const { api } = fakeApi(() => ({ status: 404 }));
    expect(await loadMessages(api, 'o1')).toBeNull();
  });
});
