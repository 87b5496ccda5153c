import type { Db } from '@qihub/db';
import type { MailMessage, Mailer } from '../../lib/mailer.ts';
import { noticeCategory } from './categories.ts';
import {
  claimEmailSend,
  findNotificationForMail,
  queueEmailsForRecentNotifications,
  type NotificationForMail,
} from './repository.ts';

/**
 * Email for in-app notifications (only when SMTP_URL is set).
 *
 * The sweep queues one `notify.email` outbox row per notification (dedupe key `mail:<id>`), so
 * every notification — whichever module wrote it — is mailed through the outbox, relay and queue,
 * and retried like any job. Sending is guarded by a second outbox key, `mail-sent:<id>`, inserted
 * in the transaction that sends: a redelivered or replayed job finds it and sends nothing; a failed
 * send rolls it back, so the retry sends. (A crash after the server accepted the message but before
 * the commit can still repeat it: SMTP offers nothing to close that gap.) The marker row is born
 * relayed, so the relay never picks it up; replayed on purpose, it is the same job and a no-op.
 */

/** Queues an email for each recent notification that has none yet; returns how many were queued. */
export async function queueNotificationEmails(db: Db, batchSize = 500): Promise<number> {
  return queueEmailsForRecentNotifications(db, batchSize);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sends one notification by email, at most once; returns whether a message went out. */
export async function emailNotification(
  db: Db,
  mailer: Mailer,
  notificationId: string,
  webUrl: string,
): Promise<boolean> {
  if (!UUID.test(notificationId)) return false;
  return db.transaction(async (tx) => {
    if (!(await claimEmailSend(tx, notificationId))) return false;
    const row = await findNotificationForMail(tx, notificationId);
    // Nothing to send to (gone, or a disabled account): the marker stays, so it is not retried.
    if (!row || row.disabled_at) return false;
    // The user chose to see this category in the inbox only (read at send time: a change applies at once).
    if (row.email_off.includes(noticeCategory(row.kind))) return false;
    await mailer.send(renderEmail(row, webUrl));
    return true;
  });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Subject in the user's language; the body in both (the user's first), as plain text and simple
 * HTML, with an absolute link into the web app.
 */
export function renderEmail(
  n: Pick<NotificationForMail, 'title_zh' | 'title_en' | 'body_zh' | 'body_en' | 'link' | 'email' | 'locale'>,
  webUrl: string,
): MailMessage {
  const english = n.locale.toLowerCase().startsWith('en');
  const zh = { title: n.title_zh, body: n.body_zh, open: '查看详情' };
  const en = { title: n.title_en || n.title_zh, body: n.body_en || n.body_zh, open: 'Open in QIHub' };
  const [first, second] = english ? [en, zh] : [zh, en];
  const url = n.link ? new URL(n.link, webUrl.replace(/\/*$/, '/')).toString() : null;
  const textPart = (p: typeof zh) => [p.title, '', p.body, ...(url ? ['', `${p.open}: ${url}`] : [])].join('\n');
  const htmlPart = (p: typeof zh, lang: string) =>
    `<div lang="${lang}"><h2 style="font-size:16px">${escapeHtml(p.title)}</h2>` +
    `<p>${escapeHtml(p.body)}</p>` +
    (url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(p.open)}</a></p>` : '') +
    '</div>';
  return {
    to: n.email,
    subject: first.title,
    text: `${textPart(first)}\n\n————————\n\n${textPart(second)}\n`,
    html:
      '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">' +
      htmlPart(first, english ? 'en' : 'zh-CN') +
      '<hr>' +
      htmlPart(second, english ? 'zh-CN' : 'en') +
      '</body></html>',
  };
}
