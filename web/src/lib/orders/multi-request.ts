import type { FieldErrors, Problem } from '$lib/types';
import { lineFieldName, requestShape, REQUEST_FIELDS, type RequestField, type RequestService } from './request';

/**
 * Several services of one lab in one request (加入同一委托): the service page keeps the services
 * added to its request in its address (`?with=<id>,<id>`), so the request survives a reload, a
 * failed submission and a browser without JavaScript. One submission makes one order with a line
 * per service; the API refuses another lab's services (`service_of_other_lab`), and the page only
 * offers the same lab's.
 */

/** At most this many services in one request (the API's MAX_REQUEST_LINES). */
export const MAX_REQUEST_SERVICES = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The services added to the request of the page's service, from the `with` parameter (once each). */
export function addedServiceIds(url: URL, pageServiceId: string): string[] {
  const raw = url.searchParams.get('with') ?? '';
  const ids = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => UUID.test(s) && s !== pageServiceId.toLowerCase());
  return [...new Set(ids)].slice(0, MAX_REQUEST_SERVICES - 1);
}

/** The `with` parameter's value for these added services, or null for none. */
export function withParam(ids: readonly string[]): string | null {
  return ids.length > 0 ? ids.join(',') : null;
}

/** Whether a service can join a request made on a service page (not instrument time nor training). */
export function joinsRequest(kind: RequestService['kind']): boolean {
  const shape = requestShape(kind);
  return shape === 'samples' || shape === 'calibration' || shape === 'consulting';
}

/**
 * The lab's services added to the request, in the order they were added (ids of other labs' or
 * retired services, or of services that cannot join, are dropped: the page offers none of them).
 */
export function addedServices<S extends RequestService>(labServices: readonly S[], ids: readonly string[]): S[] {
  const byId = new Map(labServices.map((s) => [s.id, s]));
  return ids.map((id) => byId.get(id)).filter((s): s is S => s !== undefined && joinsRequest(s.kind));
}

/** The lab's other services that may still join the request. */
export function addableServices<S extends RequestService>(
  labServices: readonly S[],
  pageServiceId: string,
  added: readonly string[],
): S[] {
  if (added.length + 1 >= MAX_REQUEST_SERVICES) return [];
  return labServices.filter((s) => s.id !== pageServiceId && !added.includes(s.id) && joinsRequest(s.kind));
}

/**
 * The API's field errors (`/lines/<i>/<field>`) on the request form's fields: a line's field is
 * named by its position (`lineFieldName`); anything else by its innermost known segment.
 */
export function requestFieldErrors(problem: Partial<Problem> | null | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const fields: readonly string[] = REQUEST_FIELDS;
  for (const e of problem?.errors ?? []) {
    const segments = e.path.split(/[/.]/).filter((s) => s !== '');
    const field = [...segments].reverse().find((s) => fields.includes(s));
    if (!field) continue;
    const at = segments[0] === 'lines' ? Number(segments[1]) : 0;
    const name = Number.isInteger(at) ? lineFieldName(at, field as RequestField) : field;
    errors[name] ??= { code: e.code, message: e.message };
  }
  return errors;
}
