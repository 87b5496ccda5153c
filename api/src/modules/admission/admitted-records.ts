import type { AdmissionApplication, DbOrTx } from '@qihub/db';
import * as repo from './repository.ts';

type DeclaredSite = AdmissionApplication['sites'][number];
interface ExistingSite {
  id: string;
  nameZh: string;
  addressZh: string;
}

const same = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/**
 * Which of the lab's sites each declared site is: the one of the same name, else the one at the same
 * address (whitespace aside), each existing site taken at most once; a declared site that is none of
 * them is new. A lab that left (or was rejected) and applies again declares the sites it already has —
 * its instruments, bookings and orders point at them, so they are updated in place, never copied.
 */
export function matchSites(
  existing: ExistingSite[],
  declared: DeclaredSite[],
): { update: { siteId: string; site: DeclaredSite }[]; insert: DeclaredSite[] } {
  const free = new Map(existing.map((s) => [s.id, s]));
  const take = (found: ExistingSite | undefined) => {
    if (found) free.delete(found.id);
    return found;
  };
  const picks = declared.map((site) => take([...free.values()].find((s) => same(s.nameZh, site.name))));
  const update: { siteId: string; site: DeclaredSite }[] = [];
  const insert: DeclaredSite[] = [];
  declared.forEach((site, i) => {
    const found = picks[i] ?? take([...free.values()].find((s) => same(s.addressZh, site.address)));
    if (found) update.push({ siteId: found.id, site });
    else insert.push(site);
  });
  return { update, insert };
}

/**
 * On admission the declared sites become the lab's sites (matched to those it has, see matchSites;
 * a site not declared again stays, as instruments may stand there) and the declared certificates its
 * qualifications (a number it holds takes the declared dates).
 */
export async function recordAdmittedLab(tx: DbOrTx, labId: string, application: AdmissionApplication, now: Date) {
  const { update, insert } = matchSites(await repo.sitesOfLab(tx, labId), application.sites);
  for (const { siteId, site } of update) await repo.updateSite(tx, siteId, site);
  for (const site of insert) await repo.insertSite(tx, labId, site);
  await repo.upsertQualifications(tx, labId, application.certificates, now);
}
