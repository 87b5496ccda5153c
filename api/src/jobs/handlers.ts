import { sql } from 'drizzle-orm';
import { notifications, type Db } from '@qihub/db';
import type { Mailer } from '../lib/mailer.ts';
import type { JobPayload } from './contracts.ts';
import { emailNotification, queueNotificationEmails } from './email.ts';
import { releaseNoShows } from './no-shows.ts';
import type { JobHandler } from './registry.ts';
import { relayOutbox, type Dispatch } from './relay.ts';
import { sendDueReminders } from './reminders.ts';
import { expireHolds } from '../modules/bookings/index.ts';
import { runWaitlistSweep } from '../modules/bookings/index.ts';
import { calibrationJobHandlers } from '../modules/calibration/index.ts';
import { eventJobHandlers } from '../modules/events/index.ts';
import { orderJobHandlers } from '../modules/orders/index.ts';
import { reportJobHandlers } from '../modules/reports/index.ts';

export interface JobDeps {
  db: Db;
  /** Where relayed outbox rows go: the BullMQ queue, or straight to the registry in-process. */
  dispatch: Dispatch;
  /** "Now" for the sweeps (hold expiry, reminders, no-shows); a test hands in a fake clock. */
  clock?: () => Date;
  /** Set when SMTP_URL is: notifications are then also emailed. */
  mailer?: Mailer | null;
  /** Base of the links in emails (PUBLIC_WEB_URL). */
  webUrl?: string;
  /** Where report PDFs and uploads are stored (FILES_DIR). */
  filesDir?: string;
}

/** The one list of handlers; the API (in-process mode) and the worker (BullMQ) both use it. */
export function createJobHandlers(deps: JobDeps): JobHandler[] {
  const clock = deps.clock ?? (() => new Date());
  const mailer = deps.mailer ?? null;
  return [
    ...orderJobHandlers(deps, clock),
    ...reportJobHandlers(deps, clock),
    ...calibrationJobHandlers(deps, clock),
    ...eventJobHandlers(deps, clock),
    {
      name: 'outbox.relay',
      handle: async () => {
        await relayOutbox(deps.db, deps.dispatch);
      },
    },
    {
      name: 'bookings.expire-holds',
      handle: async () => {
        // Guarded by status and expiry, so running it twice (or on two workers) changes nothing more.
        await expireHolds(deps.db, clock());
      },
    },
    {
      name: 'bookings.send-reminders',
      handle: async () => {
        await sendDueReminders(deps.db, clock());
      },
    },
    {
      name: 'bookings.release-no-shows',
      handle: async () => {
        await releaseNoShows(deps.db, clock());
      },
    },
    {
      name: 'bookings.waitlist-sweep',
      // Idempotent and safe beside another worker's run (row locks, a per-instrument try-lock).
      handle: async () => {
        await runWaitlistSweep(deps.db, clock());
      },
    },
    {
      name: 'notify.email-sweep',
      handle: async () => {
        // Without SMTP nothing is queued, so turning it on later does not flood anyone.
        if (mailer) await queueNotificationEmails(deps.db);
      },
    },
    {
      name: 'notify.email',
      handle: async (payload) => {
        const { notificationId } = payload as JobPayload<'notify.email'>;
        if (mailer) await emailNotification(deps.db, mailer, notificationId, deps.webUrl ?? 'http://localhost:3000');
      },
    },
    {
      name: 'notify.welcome',
      handle: async (payload, ctx) => {
        const { userId } = payload as JobPayload<'notify.welcome'>;
        // The unique dedupe key makes a redelivered job a no-op.
        await deps.db
          .insert(notifications)
          .values({
            userId,
            kind: 'welcome',
            titleZh: '欢迎使用 QIHub 质量基础设施一站式服务平台',
            titleEn: 'Welcome to QIHub',
            bodyZh: '您可以搜索仪器、预约机时，并向检测机构委托检测与计量服务。',
            bodyEn: 'Search instruments, book instrument time and order testing and metrology services.',
            link: '/instruments',
            dedupeKey: ctx.jobId,
          })
          .onConflictDoNothing();
      },
    },
    {
      name: 'notify.lab-application',
      handle: async (payload, ctx) => {
        const { labId } = payload as JobPayload<'notify.lab-application'>;
        // Every platform admin or service officer whose region covers the lab's region.
        await deps.db.execute(sql`
          INSERT INTO notifications (user_id, kind, title_zh, title_en, body_zh, body_en, link, dedupe_key)
          SELECT m.user_id, 'lab_application', '新的服务机构入驻申请', 'New provider application',
                 lab.name_zh, lab.name_en, '/admin/labs/' || lab.id, ${ctx.jobId} || ':' || m.user_id
          FROM organisations lab
            JOIN organisations p ON p.kind = 'platform' AND p.status = 'active'
              AND lab.region_code LIKE (CASE WHEN p.region_code LIKE '%0000' THEN substr(p.region_code, 1, 2)
                                             WHEN p.region_code LIKE '%00' THEN substr(p.region_code, 1, 4)
                                             ELSE p.region_code END) || '%'
            JOIN memberships m ON m.org_id = p.id AND m.role IN ('admin', 'service_officer')
          WHERE lab.id = ${labId}::uuid
          ON CONFLICT (dedupe_key) DO NOTHING`);
      },
    },
    {
      name: 'notify.lab-admitted',
      handle: async (payload, ctx) => {
        const { labId } = payload as JobPayload<'notify.lab-admitted'>;
        await deps.db.execute(sql`
          INSERT INTO notifications (user_id, kind, title_zh, title_en, body_zh, body_en, link, dedupe_key)
          SELECT m.user_id, 'lab_admitted', '贵机构已通过平台入驻审核', 'Your lab has been admitted',
                 '现在可以发布仪器和服务，企业用户可以在目录中找到您。',
                 'You can now publish instruments and services; enterprises will find you in the catalogue.',
                 '/console', ${ctx.jobId} || ':' || m.user_id
          FROM memberships m WHERE m.org_id = ${labId}::uuid AND m.role = 'manager'
          ON CONFLICT (dedupe_key) DO NOTHING`);
      },
    },
  ];
}
