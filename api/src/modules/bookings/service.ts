import { requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { findReplay, hashRequest, saveAnswer } from '../../lib/idempotency.ts';
import { isLostRace } from '../../lib/pg-errors.ts';
import { asHoldLimit, assertHoldRoom, holdLimitOf, holdSelf, insertHold, writeHeldAudit } from './holds.ts';
import * as repo from './repository.ts';
import { canSee, toBookingView, type BookingView } from './view.ts';
import { vetSlot, type BookingDeps } from './vetting.ts';

export interface CreateBookingInput {
  instrumentId: string;
  start: string;
  end: string;
  mode: 'self' | 'assisted';
  notes?: string;
}

/**
 * Holds a slot: every rule first (for a clear 4xx), then the insert, whose exclusion constraint
 * decides races: a lost race is 409 slot_unavailable, never a 500.
 */
export async function createBooking(
  deps: BookingDeps,
  actor: Actor | null,
  input: CreateBookingInput,
  idempotencyKey?: string,
): Promise<{ replayed: boolean; body: BookingView }> {
  const a = requireActor(actor);
  const requestHash = hashRequest(input);
  if (idempotencyKey && a.userId) {
    const replay = await findReplay<BookingView>(deps.db, { userId: a.userId, key: idempotencyKey, requestHash });
    if (replay) return replay;
  }
  const slot = await vetSlot(deps, a, {
    instrumentId: input.instrumentId,
    start: new Date(input.start),
    end: new Date(input.end),
    mode: input.mode,
    notes: input.notes,
  });
  assertHoldRoom(slot);
  const now = deps.clock();
  if (!idempotencyKey && slot.request.mode === 'self' && slot.units?.length) {
    return { replayed: false, body: await holdSelf(deps, a, slot, now) };
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const booking = await insertHold(tx, slot, now, { lastWrite: true, limit: holdLimitOf(slot) });
      await writeHeldAudit(tx, a, slot, booking);
      const body = toBookingView(booking);
      if (idempotencyKey) {
        await saveAnswer(tx, { userId: a.userId!, key: idempotencyKey, requestHash }, body);
      }
      return { replayed: false, body };
    });
  } catch (error) {
    if (idempotencyKey) {
      // A concurrent request with the same key may have won (it then took the slot, or the key):
      // answer what it answered.
      const replay = await findReplay<BookingView>(deps.db, { userId: a.userId!, key: idempotencyKey, requestHash });
      if (replay) return replay;
    }
    if (isLostRace(error)) throw conflict('slot_unavailable', 'This time was just taken.');
    throw asHoldLimit(error);
  }
}

export async function getBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const b = await repo.findBooking(deps.db, id);
  if (!b || !canSee(a, b)) throw notFound('booking');
  return toBookingView(b);
}

export async function listBookings(deps: BookingDeps, actor: Actor | null, query: { limit?: number; cursor?: string }) {
  const a = requireActor(actor);
  const orgIds = a.memberships.map((m) => m.orgId);
  if (orgIds.length === 0) return { items: [], nextCursor: null };
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeCursor(query.cursor, 'bookings', 'timestamptz') : undefined;
  const rows = await repo.listBookings(
    deps.db,
    orgIds,
    limit,
    after ? { startsAt: String(after.key), id: after.id } : undefined,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toBookingView),
    nextCursor: rows.length > limit && last ? encodeCursor('bookings', last.startsAt.toISOString(), last.id) : null,
  };
}
