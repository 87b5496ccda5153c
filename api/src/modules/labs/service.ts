import type { Db } from '@qihub/db';
import { isAdmitted, isLabMember, type Actor } from '../../lib/actor.ts';
import { notFound } from '../../lib/errors.ts';
import { cityOf } from '../../lib/region.ts';
import { localDate } from '../../lib/time.ts';
import * as repo from './repository.ts';

export interface LabDeps {
  db: Db;
  clock: () => Date;
}

/** A lab's public page; a lab that is not (yet) admitted is visible only to its own members. */
export async function getLab(deps: LabDeps, actor: Actor | null, id: string) {
  const lab = await repo.findLab(deps.db, id);
  if (!lab || (!isAdmitted(lab.status) && !isLabMember(actor, id))) throw notFound('lab');
  const today = localDate(deps.clock());
  const [siteRows, quals, counts, city] = await Promise.all([
    repo.sitesOfLab(deps.db, id),
    repo.qualificationsOf(deps.db, id, today),
    repo.catalogueCounts(deps.db, id),
    repo.regionByCode(deps.db, cityOf(lab.regionCode)),
  ]);
  const scope = await repo.scopeItemsOf(
    deps.db,
    quals.map((q) => q.id),
  );
  return {
    id: lab.id,
    nameZh: lab.nameZh,
    nameEn: lab.nameEn,
    status: lab.status,
    labType: lab.labType,
    descriptionZh: lab.descriptionZh,
    descriptionEn: lab.descriptionEn,
    regionCode: lab.regionCode,
    cityZh: city?.nameZh ?? null,
    cityEn: city?.nameEn ?? null,
    contactPhone: lab.contactPhone,
    contactEmail: lab.contactEmail,
    website: lab.website,
    sites: siteRows.map((s) => ({
      id: s.id,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      timeZone: s.timeZone,
      regionCode: s.regionCode,
      addressZh: s.addressZh,
      addressEn: s.addressEn,
    })),
    qualifications: quals.map((q) => ({
      ...q,
      scope: scope
        .filter((item) => item.qualificationId === q.id)
        .map((item) => ({
          productZh: item.productZh,
          parameterZh: item.parameterZh,
          parameterEn: item.parameterEn,
          standardCode: item.standardCode,
        })),
    })),
    instrumentCount: counts.instruments,
    serviceCount: counts.services,
  };
}
