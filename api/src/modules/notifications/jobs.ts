import type { JobPayload } from '../../jobs/contracts.ts';
import { emailNotification, queueNotificationEmails } from './email.ts';
import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { membersOf, notifyEach, notifyUsers } from '../../lib/notify.ts';
import { platformStaffCoveringLab } from './repository.ts';

/** Notices written by jobs (welcome, lab applications and admissions) and their e-mail. */
export function notificationJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  const mailer = deps.mailer ?? null;
  return [
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
        await notifyEach(
          deps.db,
          [
            {
              userId,
              kind: 'welcome',
              titleZh: '欢迎使用 QIHub 质量基础设施一站式服务平台',
              titleEn: 'Welcome to QIHub',
              bodyZh: '您可以搜索仪器、预约机时，并向检测机构委托检测与计量服务。',
              bodyEn: 'Search instruments, book instrument time and order testing and metrology services.',
              link: '/instruments',
              dedupeKey: ctx.jobId,
            },
          ],
          clock(),
        );
      },
    },
    {
      name: 'notify.lab-application',
      handle: async (payload, ctx) => {
        const { labId } = payload as JobPayload<'notify.lab-application'>;
        // Every platform admin or service officer whose region covers the lab's region.
        const staff = await platformStaffCoveringLab(deps.db, labId);
        const lab = staff[0];
        if (!lab) return;
        await notifyUsers(
          deps.db,
          staff.map((s) => s.userId),
          {
            kind: 'lab_application',
            titleZh: '新的服务机构入驻申请',
            titleEn: 'New provider application',
            bodyZh: lab.nameZh,
            bodyEn: lab.nameEn,
            link: `/admin/labs/${lab.labId}`,
          },
          ctx.jobId,
          clock(),
        );
      },
    },
    {
      name: 'notify.lab-admitted',
      handle: async (payload, ctx) => {
        const { labId } = payload as JobPayload<'notify.lab-admitted'>;
        const managers = await membersOf(deps.db, labId, { roles: ['manager'] });
        await notifyUsers(
          deps.db,
          managers,
          {
            kind: 'lab_admitted',
            titleZh: '贵机构已通过平台入驻审核',
            titleEn: 'Your lab has been admitted',
            bodyZh: '现在可以发布仪器和服务，企业用户可以在目录中找到您。',
            bodyEn: 'You can now publish instruments and services; enterprises will find you in the catalogue.',
            link: '/console',
          },
          ctx.jobId,
          clock(),
        );
      },
    },
  ];
}
