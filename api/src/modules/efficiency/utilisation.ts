import type { Db } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { instrumentUse, useByMonth, type InstrumentUse } from './repository.ts';
import { adminRegion, spanOf } from './scope.ts';
import { rate, round } from './stats.ts';

/**
 * Instrument utilisation as the national open-sharing review of large research instruments
 * (大型科研仪器开放共享评价考核) counts it, per calendar year (China time), over bookings starting
 * in the year:
 * - effective machine hours (有效机时): checked-in → checked-out time; a booking never checked in
 *   (no-show) or not yet checked out counts nothing;
 * - external-service hours (对外服务机时): the part for organisations other than the owner lab, and
 *   the lab's own runs for orders of outside customers; the lab's own use is internal;
 * - sharing ratio (共享率): external ÷ effective hours;
 * - instruments nobody booked in the year (闲置): no booking that the lab did not refuse or the
 *   customer withdraw.
 */
const hours = (seconds: number) => round(seconds / 3600, 2)!;

function useFigures(effectiveSeconds: number, externalSeconds: number) {
  return {
    effectiveHours: hours(effectiveSeconds),
    externalHours: hours(externalSeconds),
    internalHours: hours(effectiveSeconds - externalSeconds),
    sharingRatio: round(rate(externalSeconds, effectiveSeconds), 4),
  };
}

export async function utilisation(deps: { db: Db }, actor: Actor | null, q: { region?: string; year: number }) {
  const span = spanOf(`${q.year}-01-01`, `${q.year}-12-31`);
  const region = await adminRegion(deps.db, actor, q.region);
  const [instruments, months] = await Promise.all([
    instrumentUse(deps.db, region.prefix, span),
    useByMonth(deps.db, region.prefix, span),
  ]);
  const labs = new Map<string, InstrumentUse[]>();
  for (const i of instruments) labs.set(i.labId, [...(labs.get(i.labId) ?? []), i]);
  const sum = (list: InstrumentUse[], f: (i: InstrumentUse) => number) => list.reduce((s, i) => s + f(i), 0);
  const view = (i: InstrumentUse) => ({
    id: i.id,
    nameZh: i.nameZh,
    nameEn: i.nameEn,
    model: i.model,
    status: i.status,
    lab: { id: i.labId, nameZh: i.labNameZh, nameEn: i.labNameEn },
    bookings: i.bookings,
    ...useFigures(i.effectiveSeconds, i.externalSeconds),
  });
  return {
    region: { code: region.code, nameZh: region.nameZh, nameEn: region.nameEn },
    year: q.year,
    timeZone: PLATFORM_TIME_ZONE,
    totals: {
      instruments: instruments.length,
      instrumentsBooked: instruments.filter((i) => i.bookings > 0).length,
      ...useFigures(
        sum(instruments, (i) => i.effectiveSeconds),
        sum(instruments, (i) => i.externalSeconds),
      ),
    },
    byMonth: Array.from({ length: 12 }, (_, k) => {
      const m = months.get(k + 1) ?? { effective: 0, external: 0 };
      return { month: k + 1, ...useFigures(m.effective, m.external) };
    }),
    labs: [...labs.values()].map((list) => ({
      lab: { id: list[0]!.labId, nameZh: list[0]!.labNameZh, nameEn: list[0]!.labNameEn },
      instruments: list.length,
      idleInstruments: list.filter((i) => i.bookings === 0).length,
      ...useFigures(
        sum(list, (i) => i.effectiveSeconds),
        sum(list, (i) => i.externalSeconds),
      ),
    })),
    instruments: instruments.map(view),
    idle: instruments.filter((i) => i.bookings === 0).map(view),
  };
}
