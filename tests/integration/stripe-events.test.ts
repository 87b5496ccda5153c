import { beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../factories/index.ts';
import { useCardWorld } from '../support/stripe-world.ts';

/**
 * Stripe webhooks (issue 11): events arrive late, twice and out of order; processing re-reads the
 * object from the processor, so whatever the order, every invoice ends exactly as one ordered pass
 * leaves it — paid once, one payment, a settled receivable.
 */
const w = await useCardWorld();
const { fake } = w;

beforeAll(async () => {
  await w.connectLab();
});

describe('events late, twice and out of order converge', () => {
  const SHAPES = 25;
  /** Per invoice, in creation order: what an observer of the books sees. */
  async function digest(ids: string[]) {
    const rows = await w.q<{
      id: string;
      status: string;
      paid: string;
      payments: string;
      cards: string;
      receivable: string;
    }>(
      `SELECT i.id, i.status, i.amount_paid_fen AS paid,
         (SELECT count(*) FROM payments p WHERE p.invoice_id = i.id) AS payments,
         (SELECT count(*) FROM card_payments c WHERE c.invoice_id = i.id) AS cards,
         (SELECT COALESCE(sum(e.amount_fen), 0) FROM ledger_entries e WHERE e.invoice_id = i.id) AS receivable
       FROM invoices i WHERE i.id = ANY($1)`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const { id: _id, ...rest } = byId.get(id)!;
      return rest;
    });
  }

  /** Invoices of 1,000 + (i mod 25) fen, each paid on its hosted page (4 events each). */
  async function paidSessions(n: number) {
    const ids = await w.invoices(Array.from({ length: n }, (_, i) => 1_000 + (i % SHAPES)));
    const events: Record<string, unknown>[] = [];
    for (const id of ids) events.push(...fake.completeSession((await w.checkout(id)).sessionId));
    return { ids, events };
  }

  function shuffle<T>(xs: T[], seed: number): T[] {
    const a = [...xs];
    let s = seed;
    for (let i = a.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  it('1,000 events delivered three times each, shuffled and processed concurrently = one ordered pass', async () => {
    // The ordered pass runs over one invoice of each shape; invoice i of the shuffled run must end
    // exactly as the ordered pass left the invoice of its shape.
    const ordered = await paidSessions(SHAPES);
    const shuffled = await paidSessions(250);
    expect(shuffled.events).toHaveLength(1_000);

    // One ordered pass: each event once, processed as it arrives.
    for (const e of ordered.events) {
      ok(await w.deliver(e));
      await w.processEvents();
    }
    // Three deliveries of each, in a shuffled order, processing interleaved and concurrent.
    const deliveries = shuffle([...shuffled.events, ...shuffled.events, ...shuffled.events], 20261126);
    for (let i = 0; i < deliveries.length; i += 300) {
      const batch = deliveries.slice(i, i + 300);
      for (const e of batch) expect((await w.deliver(e)).statusCode).toBe(200);
      await w.processEvents(4);
    }
    await w.processEvents(4);

    const a = await digest(ordered.ids);
    const b = await digest(shuffled.ids);
    expect(b).toEqual(shuffled.ids.map((_, i) => a[i % SHAPES]));
    expect(a.every((r) => r.status === 'paid' && r.payments === '1' && r.cards === '1' && r.receivable === '0')).toBe(
      true,
    );
    const stored = await w.q<{ n: string }>(`SELECT count(*) AS n FROM processor_events WHERE id = ANY($1)`, [
      shuffled.events.map((e) => e.id),
    ]);
    expect(stored[0]!.n).toBe('1000');
    await w.trialBalanced();
  }, 600_000);
});
