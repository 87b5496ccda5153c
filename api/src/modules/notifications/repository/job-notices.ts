import { sql } from 'drizzle-orm';
import { notifications, type DbOrTx } from '@qihub/db';
import type { Notice } from '../../../lib/notify.ts';

/**
 * Writes one notice under exactly `dedupeKey` (a repeat is ignored). `notifyUsers` keys a notice
 * `<prefix>:<userId>`; the welcome notice has always been keyed by its job id alone.
 */
export async function insertNoticeOnce(db: DbOrTx, userId: string, notice: Notice, dedupeKey: string): Promise<void> {
  await db
    .insert(notifications)
    .values({
      userId,
      kind: notice.kind,
      titleZh: notice.titleZh,
      titleEn: notice.titleEn,
      bodyZh: notice.bodyZh ?? '',
      bodyEn: notice.bodyEn ?? '',
      link: notice.link,
      dedupeKey,
    })
    .onConflictDoNothing();
}

/**
 * The lab (its names) and every admin or service officer of an active platform organisation whose
 * region covers the lab's region (a province-level platform covers its province, a city-level one
 * its city); no row when the lab does not exist.
 */
export async function platformStaffCoveringLab(
  db: DbOrTx,
  labId: string,
): Promise<{ userId: string; labId: string; nameZh: string; nameEn: string }[]> {
  const result = await db.execute<{ userId: string; labId: string; nameZh: string; nameEn: string }>(sql`
    SELECT m.user_id AS "userId", lab.id AS "labId", lab.name_zh AS "nameZh", lab.name_en AS "nameEn"
    FROM organisations lab
      JOIN organisations p ON p.kind = 'platform' AND p.status = 'active'
        AND lab.region_code LIKE (CASE WHEN p.region_code LIKE '%0000' THEN substr(p.region_code, 1, 2)
                                       WHEN p.region_code LIKE '%00' THEN substr(p.region_code, 1, 4)
                                       ELSE p.region_code END) || '%'
      JOIN memberships m ON m.org_id = p.id AND m.role IN ('admin', 'service_officer')
    WHERE lab.id = ${labId}::uuid`);
  return result.rows;
}
