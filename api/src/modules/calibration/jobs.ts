import type { Db } from '@qihub/db';
import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { localDate } from '../../lib/time.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { addDays, daysBetween, RECALL_WINDOW_DAYS } from './rules.ts';
import { lockRecordsToRecall, membersOfOrganisations, stampRecallReminded } from './repository.ts';

/** How many records the recall sweep stamps at a time; it loops until none is left. */
export const RECALL_BATCH = 200;

/**
 * Recall reminders: every record due within RECALL_WINDOW_DAYS (China date) whose reminder has not
 * gone out is stamped and every member of the customer enterprise is told, once. The records are
 * taken `batchSize` at a time, each batch in its own transaction, by a guarded UPDATE … RETURNING
 * on rows locked FOR UPDATE SKIP LOCKED: a second sweep running at the same time takes other rows
 * (and re-checks recall_reminded_at), and the dedupe keys make a replay harmless as well.
 */
export async function sendRecallReminders(db: Db, now: Date, batchSize = RECALL_BATCH): Promise<number> {
  let reminded = 0;
  for (;;) {
    const batch = await remindBatch(db, now, batchSize);
    reminded += batch.reminded;
    if (batch.seen < batchSize) return reminded;
  }
}

async function remindBatch(db: Db, now: Date, batchSize: number): Promise<{ seen: number; reminded: number }> {
  const today = localDate(now);
  const horizon = addDays(today, RECALL_WINDOW_DAYS);
  return db.transaction(async (tx) => {
    const batch = await lockRecordsToRecall(tx, horizon, batchSize);
    if (batch.length === 0) return { seen: 0, reminded: 0 };
    const due = await stampRecallReminded(
      tx,
      batch.map((r) => r.id),
      now,
    );
    if (due.length === 0) return { seen: batch.length, reminded: 0 };
    const members = await membersOfOrganisations(tx, [...new Set(due.map((d) => d.customerOrgId))]);
    for (const record of due) {
      const userIds = members.filter((m) => m.orgId === record.customerOrgId).map((m) => m.userId);
      const daysLeft = daysBetween(today, record.nextDueOn);
      const instrument = `${record.instrumentName}${record.model ? ` ${record.model}` : ''}`;
      await notifyUsers(
        tx,
        userIds,
        {
          kind: 'calibration_recall',
          titleZh:
            daysLeft < 0
              ? `仪器校准已过期：${instrument}（编号 ${record.serialNumber}）`
              : `仪器校准即将到期：${instrument}（编号 ${record.serialNumber}）`,
          titleEn:
            daysLeft < 0
              ? `Calibration overdue: ${instrument} (S/N ${record.serialNumber})`
              : `Calibration due soon: ${instrument} (S/N ${record.serialNumber})`,
          bodyZh:
            daysLeft < 0
              ? `该仪器的校准有效期已于 ${record.nextDueOn} 到期，请尽快送检，过期仪器不宜用于出具数据。`
              : `该仪器的校准有效期至 ${record.nextDueOn}（还有 ${daysLeft} 天），请及时安排送检或预约上门校准。`,
          bodyEn:
            daysLeft < 0
              ? `Its calibration expired on ${record.nextDueOn}; send it for calibration before relying on its readings.`
              : `Its calibration is valid until ${record.nextDueOn} (${daysLeft} days left); book a calibration in time.`,
          link: '/calibration',
        },
        `calibration-recall:${record.id}`,
        now,
      );
    }
    return { seen: batch.length, reminded: due.length };
  });
}

/** Recall reminders before a calibrated instrument falls due. */
export function calibrationJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [
    {
      name: 'calibration.recall-reminders',
      handle: async () => {
        await sendRecallReminders(deps.db, clock());
      },
    },
  ];
}
