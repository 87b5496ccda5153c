import { error, fail, redirect } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import type { Me, Membership, Problem } from '$lib/types';

/** Lab managers run the console; staff and operators get to it in a later slice. */
export function managedLabs(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter((m) => m.orgKind === 'lab' && m.role === 'manager');
}

/**
 * The console's door, checked by every console load and action (actions do not run layout loads):
 * anonymous → login and back; signed in without a managed lab → 403; otherwise the lab to work on.
 */
export function requireLabManager(locals: App.Locals, url: URL, labId?: string): Membership {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  const labs = managedLabs(locals.user);
  const wanted = labId ?? url.searchParams.get('lab');
  const lab = (wanted && labs.find((m) => m.orgId === wanted)) || (labId ? undefined : labs[0]);
  if (!lab) error(403, { message: 'Lab managers only', code: 'not_lab_manager' });
  return lab;
}

/**
 * The booking side of the lab console is for every member of a lab: managers run everything,
 * staff keep hours, rules and training records, operators see the schedule and handle the day's
 * bookings. What each may change is the API's call; the pages only hide what would be refused.
 */
export function labMemberships(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter((m) => m.orgKind === 'lab');
}

export function requireLabMember(locals: App.Locals, url: URL, labId?: string): Membership {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  const labs = labMemberships(locals.user);
  const wanted = labId ?? url.searchParams.get('lab');
  const lab = (wanted && labs.find((m) => m.orgId === wanted)) || (labId ? undefined : labs[0]);
  if (!lab) error(403, { message: 'Lab members only', code: 'not_lab_member' });
  return lab;
}

/**
 * What a lab member may change, as the API decides it: managers and staff edit hours, closures,
 * policies, settings and training records; only managers lift a block; operators read.
 */
export function labRights(m: Pick<Membership, 'role'>) {
  const editor = m.role === 'manager' || m.role === 'staff';
  return { settings: editor, people: editor, liftBlocks: m.role === 'manager' };
}
export type LabRights = ReturnType<typeof labRights>;

export interface LabInstrument {
  id: string;
  nameZh: string;
  nameEn: string;
  model: string;
  status: 'active' | 'maintenance' | 'retired';
  unitCount: number;
  siteId: string;
  timeZone: string;
}

/** Every instrument of the lab (the console lists few enough to read them all, 100 a page). */
export async function labInstruments(api: Api, labId: string): Promise<LabInstrument[]> {
  const out: LabInstrument[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const list = await need(
      api.GET('/v1/labs/{labId}/instruments', {
        params: { path: { labId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
      }),
    );
    for (const i of list.items) {
      out.push({
        id: i.id,
        nameZh: i.nameZh,
        nameEn: i.nameEn,
        model: i.model,
        status: i.status,
        unitCount: i.unitCount,
        siteId: i.site.id,
        timeZone: i.site.timeZone,
      });
    }
    if (!list.nextCursor) break;
    cursor = list.nextCursor;
  }
  return out;
}

export interface LabSite {
  id: string;
  nameZh: string;
  nameEn: string;
  timeZone: string;
}

/** The lab's sites; the first one's zone is the lab's zone for the console's calendars. */
export async function labSites(api: Api, labId: string): Promise<{ sites: LabSite[]; timeZone: string }> {
  const lab = await need(api.GET('/v1/labs/{id}', { params: { path: { id: labId } } }));
  const sites = lab.sites.map((s) => ({ id: s.id, nameZh: s.nameZh, nameEn: s.nameEn, timeZone: s.timeZone }));
  return { sites, timeZone: sites[0]?.timeZone ?? 'Asia/Shanghai' };
}

/** The problem code of a refused API call (for the page to explain), or a generic one. */
export function problemCode(problem: unknown, status: number): string {
  const code = (problem as Partial<Problem> | undefined)?.code;
  if (code) return code;
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  return status >= 500 ? 'api_error' : 'unknown';
}

/** A refused API call → the action's failure, carrying the problem code and which form it came from. */
export function refused(action: string, problem: unknown, status: number, extra: Record<string, unknown> = {}) {
  return fail(status >= 500 ? 502 : status, { action, code: problemCode(problem, status), ...extra });
}

export function fetchBooking(api: Api, id: string) {
  return need(api.GET('/v1/bookings/{id}', { params: { path: { id } } }));
}
export type BookingView = Awaited<ReturnType<typeof fetchBooking>>;

/**
 * The lab's bookings from `GET /v1/bookings` (the caller's organisations as customer and as lab,
 * latest start first): pages are read until a booking starts before `since`, at most `maxPages`
 * pages of 100. The API has no lab or status filter yet, so the filtering happens here.
 */
export async function scanLabBookings(api: Api, labId: string, since: Date, maxPages = 10) {
  const items: BookingView[] = [];
  let cursor: string | undefined;
  let complete = false;
  for (let page = 0; page < maxPages; page++) {
    const list = await need(
      api.GET('/v1/bookings', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
    );
    for (const b of list.items) if (b.labId === labId) items.push(b);
    const last = list.items[list.items.length - 1];
    if (!list.nextCursor || !last || Date.parse(last.start) < since.getTime()) {
      complete = true;
      break;
    }
    cursor = list.nextCursor;
  }
  return { items, complete };
}

/** One page of `GET /v1/bookings`, only the lab's. */
export async function labBookingsPage(api: Api, labId: string, cursor: string | undefined) {
  const list = await need(
    api.GET('/v1/bookings', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
  );
  return { items: list.items.filter((b) => b.labId === labId), nextCursor: list.nextCursor };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type BookingVerb = 'approve' | 'reject' | 'checkIn' | 'checkOut' | 'cancel';

type BookingActionEvent = { locals: App.Locals; url: URL; request: Request };

/** The five booking verbs as the form actions of a page that offers them (the list and one booking's page). */
export function labBookingActions(parseReason: Parameters<typeof runBookingAction>[4]) {
  const act =
    (verb: BookingVerb) =>
    ({ locals, url, request }: BookingActionEvent) =>
      runBookingAction(locals, url, request, verb, parseReason);
  return {
    approve: act('approve'),
    reject: act('reject'),
    checkIn: act('checkIn'),
    checkOut: act('checkOut'),
    cancel: act('cancel'),
  };
}

/**
 * A booking form action of the console (list and detail pages alike): the booking id comes from
 * the form, a rejection needs its reason; the API decides whether the member may do it.
 */
export async function runBookingAction(
  locals: App.Locals,
  url: URL,
  request: Request,
  verb: BookingVerb,
  parseReason: (text: unknown) => { ok: true; reason: string } | { ok: false; code: string },
) {
  requireLabMember(locals, url);
  const form = await request.formData();
  const id = String(form.get('bookingId') ?? '');
  if (!UUID.test(id)) return fail(400, { action: verb, bookingId: id, code: 'not_found' });
  const path = { params: { path: { id } } };
  let result;
  switch (verb) {
    case 'approve':
      result = await locals.api.POST('/v1/bookings/{id}/approve', path);
      break;
    case 'reject': {
      const reason = parseReason(form.get('reason'));
      if (!reason.ok) {
        return fail(400, {
          action: verb,
          bookingId: id,
          code: null,
          reason: String(form.get('reason') ?? ''),
          reasonError: reason.code,
        });
      }
      result = await locals.api.POST('/v1/bookings/{id}/reject', { ...path, body: { reason: reason.reason } });
      break;
    }
    case 'checkIn':
      result = await locals.api.POST('/v1/bookings/{id}/check-in', path);
      break;
    case 'checkOut':
      result = await locals.api.POST('/v1/bookings/{id}/check-out', path);
      break;
    case 'cancel':
      result = await locals.api.POST('/v1/bookings/{id}/cancel', path);
      break;
  }
  const { data, error: problem, response } = result;
  if (!data) return refused(verb, problem, response.status, { bookingId: id });
  return { action: verb, bookingId: id, ok: true as const, booking: data };
}

export interface BookingPeople {
  customer: { nameZh: string; nameEn: string };
  user: string;
  operator: string | null;
  unitLabel: string;
}

const SCHEDULE_SPAN_MS = 31 * 86_400_000;

/**
 * Who booked what: customer organisation, person, operator and unit, from the lab's schedule (the
 * bookings endpoint carries ids only). Reads the schedule in 31-day pieces over the bookings'
 * span, at most `maxCalls` of them; cancelled, rejected and expired bookings are not on it.
 */
export async function bookingPeople(
  api: Api,
  labId: string,
  items: readonly { id: string; start: string; end: string }[],
  maxCalls = 3,
): Promise<Record<string, BookingPeople>> {
  const out: Record<string, BookingPeople> = {};
  if (items.length === 0) return out;
  const from = Math.min(...items.map((b) => Date.parse(b.start)));
  const to = Math.max(...items.map((b) => Date.parse(b.end)));
  const pieces: { from: string; to: string }[] = [];
  for (let t = from; t < to && pieces.length < maxCalls; t += SCHEDULE_SPAN_MS) {
    pieces.push({ from: new Date(t).toISOString(), to: new Date(Math.min(to, t + SCHEDULE_SPAN_MS)).toISOString() });
  }
  const schedules = await Promise.all(
    pieces.map((q) => api.GET('/v1/labs/{id}/schedule', { params: { path: { id: labId }, query: q } })),
  );
  for (const { data } of schedules) {
    for (const i of data?.instruments ?? []) {
      const units = Object.fromEntries(i.units.map((u) => [u.id, u.label]));
      for (const b of i.bookings) {
        out[b.id] = {
          customer: { nameZh: b.customer.nameZh, nameEn: b.customer.nameEn },
          user: b.user.displayName,
          operator: b.operator?.displayName ?? null,
          unitLabel: units[b.unitId] ?? '',
        };
      }
    }
  }
  return out;
}
