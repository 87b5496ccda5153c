import type { Db, FapiaoTitle, FapiaoTitleFields, FapiaoType } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { checkCreditCode, normaliseCreditCode } from '../../lib/credit-code.ts';
import { notFound, unprocessable, type FieldError } from '../../lib/errors.ts';
import { assertTitleEditor, assertTitleReader } from './access.ts';
import * as repo from './repository.ts';

export interface FapiaoDeps {
  db: Db;
  clock: () => Date;
}

export interface TitleInput extends Partial<FapiaoTitleFields> {
  type: FapiaoType;
  name: string;
  taxpayerNumber: string;
}

/** What each type of fapiao needs from the title: 普通 the name and number, 专用 everything. */
export const REQUIRED_FIELDS: Record<FapiaoType, readonly (keyof FapiaoTitleFields)[]> = {
  normal: ['name', 'taxpayerNumber'],
  special: ['name', 'taxpayerNumber', 'address', 'phone', 'bankName', 'bankAccount'],
};

const FIELD_NAMES: Record<keyof FapiaoTitleFields, string> = {
  name: '名称 name',
  taxpayerNumber: '纳税人识别号 taxpayer number',
  address: '地址 address',
  phone: '电话 phone',
  bankName: '开户行 bank',
  bankAccount: '账号 account',
};

/** The fields a title lacks for a type of fapiao, as field errors under `prefix`. */
export function missingFor(type: FapiaoType, title: FapiaoTitleFields, prefix = ''): FieldError[] {
  return REQUIRED_FIELDS[type]
    .filter((f) => title[f].trim() === '')
    .map((f) => ({
      path: `${prefix}/${f}`,
      code: 'required' as const,
      message: `${type === 'special' ? '专用发票' : '普通发票'}需要${FIELD_NAMES[f]}。A ${type} fapiao needs the ${FIELD_NAMES[f].split(' ').slice(1).join(' ')}.`,
    }));
}

export function titleFields(t: Pick<FapiaoTitle, keyof FapiaoTitleFields>): FapiaoTitleFields {
  return {
    name: t.name,
    taxpayerNumber: t.taxpayerNumber,
    address: t.address,
    phone: t.phone,
    bankName: t.bankName,
    bankAccount: t.bankAccount,
  };
}

function titleView(orgId: string, saved: boolean, type: FapiaoType, fields: FapiaoTitleFields, updatedAt: Date | null) {
  return {
    orgId,
    saved,
    type,
    ...fields,
    completeFor: (['normal', 'special'] as const).filter((t) => missingFor(t, fields).length === 0),
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}

/** The organisation's title; before one is saved, a draft from its registered name and credit code. */
export async function getTitle(deps: FapiaoDeps, actor: Actor | null, orgId: string) {
  assertTitleReader(actor, orgId);
  const title = await repo.findTitle(deps.db, orgId);
  if (title) return titleView(orgId, true, title.type, titleFields(title), title.updatedAt);
  const org = await repo.findOrganisation(deps.db, orgId);
  if (!org) throw notFound('organisation');
  const draft = {
    name: org.nameZh,
    taxpayerNumber: org.creditCode ?? '',
    address: '',
    phone: '',
    bankName: '',
    bankAccount: '',
  };
  return titleView(orgId, false, 'normal', draft, null);
}

/** Saves the title (all or nothing): a taxpayer number with a wrong check character, or a 专用 title with a gap, is 422. */
export async function putTitle(deps: FapiaoDeps, actor: Actor | null, orgId: string, input: TitleInput) {
  const a = assertTitleEditor(actor, orgId);
  const fields: FapiaoTitleFields = {
    name: input.name.trim(),
    taxpayerNumber: normaliseCreditCode(input.taxpayerNumber),
    address: input.address?.trim() ?? '',
    phone: input.phone?.trim() ?? '',
    bankName: input.bankName?.trim() ?? '',
    bankAccount: input.bankAccount?.trim() ?? '',
  };
  const errors: FieldError[] = [];
  const problem = fields.taxpayerNumber === '' ? null : checkCreditCode(fields.taxpayerNumber);
  if (problem) {
    errors.push({
      path: '/taxpayerNumber',
      code: 'invalid_credit_code',
      message:
        problem === 'check_character'
          ? '纳税人识别号的校验码不正确。The check character of the unified social credit code does not match.'
          : '纳税人识别号应为 18 位统一社会信用代码。A taxpayer number is the 18-character unified social credit code.',
    });
  }
  errors.push(...missingFor(input.type, fields));
  if (errors.length > 0) throw unprocessable(errors[0]!.code, 'The invoice title is not valid.', errors);

  return deps.db.transaction(async (tx) => {
    const before = await repo.findTitle(tx, orgId);
    const saved = await repo.upsertTitle(tx, {
      orgId,
      type: input.type,
      ...fields,
      updatedBy: a.userId,
      updatedAt: deps.clock(),
    });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'fapiao_title.saved',
      entityType: 'fapiao_title',
      entityId: orgId,
      orgId,
      before: before ? { type: before.type, ...titleFields(before) } : undefined,
      after: { type: saved.type, ...titleFields(saved) },
    });
    return titleView(orgId, true, saved.type, titleFields(saved), saved.updatedAt);
  });
}
