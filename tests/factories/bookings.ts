import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { bearer } from '../support/app.ts';
import { ok } from './world.ts';

/** A booking as the bookings API answers it (the fields the tests read; a test may widen it). */
export interface BookingView {
  id: string;
  status: string;
  unitId: string;
  holdExpiresAt: string | null;
  cancellationFee: { amount: number } | null;
}

export interface Slot {
  instrumentId: string;
  start: string;
  end: string;
  mode?: string;
}

/** Asks for a slot as a customer would (`mode` self unless given); the answer as it comes. */
export function bookSlot(
  app: FastifyInstance,
  token: string,
  slot: Slot,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: { ...bearer(token), ...headers },
    payload: { mode: 'self', ...slot },
  });
}

export interface BookOptions {
  /** `self` (the default) or `assisted` (with one of the lab's operators). */
  mode?: string;
  headers?: Record<string, string>;
}

/**
 * The booking calls of one app, for the tests of the booking rules:
 * `book` answers as it comes, `booked` expects the hold (201), `act` / `acted` post a lifecycle verb
 * (`confirm`, `approve`, `cancel`, `check-in` …), `view` reads a booking as the lab sees it.
 */
export function bookingDesk<View = BookingView>(world: { app: FastifyInstance }, labToken: () => string) {
  const app = () => world.app;
  const book = (
    token: string,
    instrumentId: string,
    start: string,
    end: string,
    { mode = 'self', headers = {} }: BookOptions = {},
  ) => bookSlot(app(), token, { instrumentId, start, end, mode }, headers);

  const act = (token: string, id: string, verb: string, payload?: object) =>
    app().inject({
      method: 'POST',
      url: `/v1/bookings/${id}/${verb}`,
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });

  return {
    book,
    async booked(
      token: string,
      instrumentId: string,
      start: string,
      end: string,
      options: BookOptions = {},
    ): Promise<View> {
      return ok<View>(await book(token, instrumentId, start, end, options), 201);
    },
    act,
    async acted(token: string, id: string, verb: string, payload?: object): Promise<View> {
      return ok<View>(await act(token, id, verb, payload));
    },
    async view(id: string): Promise<View> {
      return ok<View>(await app().inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(labToken()) }));
    },
  };
}
