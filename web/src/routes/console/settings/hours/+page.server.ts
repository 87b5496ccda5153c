import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { hoursSlots, parseWeeklyHours } from '$lib/lab-console/settings-forms';
import { labInstruments, labRights, labSites, refused, requireLabMember } from '$lib/lab-console/console.server';
import type { FieldErrors, Problem } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

type Target = { kind: 'site' | 'instrument'; id: string };

function parseTarget(value: string | null): Target | null {
  const m = /^(site|instrument):([0-9a-f-]{36})$/i.exec(value ?? '');
  return m ? { kind: m[1] as Target['kind'], id: m[2]! } : null;
}

async function options(locals: App.Locals, labId: string) {
  const [{ sites, timeZone }, instruments] = await Promise.all([
    labSites(locals.api, labId),
    labInstruments(locals.api, labId),
  ]);
  return { sites, timeZone, instruments: instruments.filter((i) => i.status !== 'retired') };
}

function hoursOf(api: App.Locals['api'], t: Target) {
  return t.kind === 'site'
    ? need(api.GET('/v1/sites/{id}/opening-hours', { params: { path: { id: t.id } } }))
    : need(api.GET('/v1/instruments/{id}/opening-hours', { params: { path: { id: t.id } } }));
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const { sites, timeZone, instruments } = await options(locals, lab.orgId);
  const asked = parseTarget(url.searchParams.get('target'));
  const known = (t: Target | null) =>
    !!t && (t.kind === 'site' ? sites.some((s) => s.id === t.id) : instruments.some((i) => i.id === t.id));
  const target: Target | null = known(asked) ? asked : sites[0] ? { kind: 'site', id: sites[0].id } : null;
  // Which instruments keep hours of their own: one small read each, side by side.
  const overrides = await Promise.all(
    instruments.map(async (i) => ({
      id: i.id,
      inherited: (await hoursOf(locals.api, { kind: 'instrument', id: i.id })).inherited,
    })),
  );
  const hours = target ? await hoursOf(locals.api, target) : null;
  return {
    lab,
    rights: labRights(lab),
    timeZone,
    sites,
    instruments: instruments.map((i) => ({
      ...i,
      ownHours: !(overrides.find((o) => o.id === i.id)?.inherited ?? true),
    })),
    target: target ? `${target.kind}:${target.id}` : null,
    targetKind: target?.kind ?? null,
    hours,
    slots: hoursSlots(hours?.rows ?? []),
    saved: url.searchParams.has('saved'),
  };
};

export const actions: Actions = {
  save: async ({ locals, url, request }) => {
    requireLabMember(locals, url);
    const form = await request.formData();
    const target = parseTarget(String(form.get('target') ?? ''));
    if (!target) return fail(400, { action: 'save', code: 'not_found' });
    const parsed = parseWeeklyHours(form);
    if (!parsed.rows) {
      return fail(400, {
        action: 'save',
        code: null,
        values: parsed.values,
        inherit: parsed.inherit,
        fieldErrors: parsed.fieldErrors,
      });
    }
    const body = { rows: parsed.rows };
    const { data, error, response } =
      target.kind === 'site'
        ? await locals.api.PUT('/v1/sites/{id}/opening-hours', { params: { path: { id: target.id } }, body })
        : await locals.api.PUT('/v1/instruments/{id}/opening-hours', { params: { path: { id: target.id } }, body });
    if (!data) {
      // Row errors point at /rows/{i}/{field}: the i-th row sent, i.e. the i-th window read.
      const fieldErrors: FieldErrors = {};
      for (const e of (error as Partial<Problem> | undefined)?.errors ?? []) {
        const m = /^\/rows\/(\d+)/.exec(e.path);
        const row = m ? parsed.rows[Number(m[1])] : undefined;
        if (!row) continue;
        const slot = Object.entries(parsed.values).find(
          ([k, v]) => k.startsWith(`w${row.weekday}-`) && k.endsWith('-opens') && v === row.opensAt,
        )?.[0];
        if (slot) fieldErrors[slot.replace(/-opens$/, '-closes')] = { code: e.code, message: e.message };
      }
      return refused('save', error, response.status, { values: parsed.values, inherit: parsed.inherit, fieldErrors });
    }
    return { action: 'save', ok: true as const, inherited: data.inherited };
  },
};
