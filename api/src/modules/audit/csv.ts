import { DateTime as Lx } from 'luxon';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import type { AuditRow } from './repository.ts';

/** Excel reads a CSV as the system's code page (GBK in China) unless it starts with a UTF-8 BOM. */
const BOM = '\ufeff';

const HEADER = [
  '编号 id',
  '时间 time (Asia/Shanghai)',
  '操作者 actor',
  '邮箱 email',
  '类型 kind',
  '操作者机构 actor organisation',
  '操作 action',
  '对象类型 entity type',
  '对象 entity id',
  '所属机构 organisation',
  '区划 region',
  '请求 request id',
  '变更前 before',
  '变更后 after',
];

/**
 * One field: quoted when it holds a separator, a quote or a line break; and a leading = + - @
 * (or tab / CR) is defused with an apostrophe, so a name typed by a user never runs as a formula
 * in the admin's spreadsheet (CSV injection).
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(rows: AuditRow[]): string {
  const lines = [HEADER.map(csvField).join(',')];
  for (const r of rows) {
    lines.push(
      [
        String(r.id),
        Lx.fromJSDate(r.at, { zone: PLATFORM_TIME_ZONE }).toFormat('yyyy-MM-dd HH:mm:ss'),
        r.actorName,
        r.actorEmail,
        r.actorKind,
        r.actorOrg?.nameZh,
        r.action,
        r.entityType,
        r.entityId,
        r.org?.nameZh,
        r.org?.regionCode,
        r.requestId,
        r.before,
        r.after,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
