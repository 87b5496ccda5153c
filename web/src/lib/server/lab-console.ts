import { error, fail, redirect } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import type { Me, Membership, Problem } from '$lib/types';

/**
 * The booking side of the lab console is for every member of a lab: managers run everything,
 * staff also keep training records and violations, operators see the schedule and handle the day's
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

/** What a lab member may change, as the API decides it (managers: all; staff: people; operators: bookings). */
export function labRights(m: Pick<Membership, 'role'>) {
  return {
    settings: m.role === 'manager',
    people: m.role === 'manager' || m.role === 'staff',
    liftBlocks: m.role === 'manager',
  };
}
export type LabRights = ReturnType<typeof labRights>;

export interface LabInstrument {
  id: string;
  nameZh: string;
  nameEn: string;
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
