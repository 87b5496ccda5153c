import type { JobPayload } from '../../jobs/contracts.ts';
import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import type { MailMessage } from '../../lib/mailer.ts';
import { ROLE_ZH, type LabRole } from './members.ts';
import { invitationToMail, markInvitationEmailed } from './repository/members.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The invitation e-mail, Chinese first then English, with a link to register with that address. */
export function invitationEmail(
  inv: { email: string; role: string; labNameZh: string; labNameEn: string },
  webUrl: string,
): MailMessage {
  const url = new URL(`/register?email=${encodeURIComponent(inv.email)}`, webUrl.replace(/\/*$/, '/')).toString();
  const zh = [
    `${inv.labNameZh} 邀请您加入 QIHub`,
    `${inv.labNameZh}邀请您以“${ROLE_ZH[inv.role as LabRole] ?? inv.role}”身份加入其机构控制台。`,
    `请用本邮箱（${inv.email}）注册或登录，即自动加入：${url}`,
  ];
  const en = [
    `${inv.labNameEn || inv.labNameZh} invites you to QIHub`,
    `${inv.labNameEn || inv.labNameZh} invites you to its lab console as ${inv.role}.`,
    `Register or sign in with this address (${inv.email}) and you join at once: ${url}`,
  ];
  return {
    to: inv.email,
    subject: zh[0]!,
    text: `${zh.join('\n\n')}\n\n————————\n\n${en.join('\n\n')}\n`,
    html:
      '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">' +
      [zh, en]
        .map(
          (p, i) =>
            `<div lang="${i === 0 ? 'zh-CN' : 'en'}"><h2 style="font-size:16px">${escapeHtml(p[0]!)}</h2>` +
            `<p>${escapeHtml(p[1]!)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(p[2]!)}</a></p></div>`,
        )
        .join('<hr>') +
      '</body></html>',
  };
}

/** The invitation e-mail to an address with no account (only with SMTP), sent at most once. */
export function labJobHandlers(deps: JobDeps): JobHandler[] {
  const mailer = deps.mailer ?? null;
  const clock = deps.clock ?? (() => new Date());
  return [
    {
      name: 'labs.invitation-email',
      handle: async (payload) => {
        const { invitationId } = payload as JobPayload<'labs.invitation-email'>;
        if (!mailer || !/^[0-9a-f-]{36}$/i.test(invitationId)) return;
        await deps.db.transaction(async (tx) => {
          // Locked and marked in the transaction that sends: a redelivered job finds it sent.
          const inv = await invitationToMail(tx, invitationId);
          if (!inv) return;
          await mailer.send(invitationEmail(inv, deps.webUrl ?? 'http://localhost:3000'));
          await markInvitationEmailed(tx, inv.id, clock());
        });
      },
    },
  ];
}
