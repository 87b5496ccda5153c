import { requireActor, membershipIn, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound, unprocessable, validationFailed, type FieldError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/pg-errors.ts';
import { localDate } from '../../lib/time.ts';
import type { LabDeps } from './service.ts';
import * as repo from './repository/qualifications.ts';

/**
 * The lab's CMA / CNAS certificates, kept by its managers: number, validity, scope lines
 * (parameter × standard). A certificate counts on a day (China time) from `issuedOn` to `validUntil`
 * inclusive and before the day it was withdrawn; the report marks and quote scope follow that.
 */

export interface ScopeLineInput {
  productZh?: string;
  parameterZh: string;
  parameterEn?: string;
  standardCode: string;
}
export interface QualificationInput {
  kind: 'cma' | 'cnas';
  number: string;
  issuedOn: string;
  validUntil: string;
  issuingBody?: string;
  scope: ScopeLineInput[];
}

const NUMBER_FORMAT = { cma: /^[0-9]{12}$/, cnas: /^CNAS [LIPR][0-9]{4,5}$/ };

export function memberOf(actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  return { a, m };
}

export function managerOf(actor: Actor | null, labId: string): Actor {
  const { a, m } = memberOf(actor, labId);
  if (a.kind !== 'user' || m.role !== 'manager')
    throw forbidden('Only a manager of this lab may keep its qualifications.');
  return a;
}

export function stateOf(q: repo.QualificationRow, today: string): 'valid' | 'expired' | 'not_yet_valid' | 'withdrawn' {
  if (q.withdrawnOn !== null && q.withdrawnOn <= today) return 'withdrawn';
  if (q.issuedOn > today) return 'not_yet_valid';
  return q.validUntil >= today ? 'valid' : 'expired';
}

/** The day six years after a YYYY-MM-DD date (29 February moves to 1 March). */
function sixYearsOn(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 6);
  return d.toISOString().slice(0, 10);
}

function check(input: {
  kind: 'cma' | 'cnas';
  number: string;
  issuedOn: string;
  validUntil: string;
  scope: ScopeLineInput[];
}) {
  const errors: FieldError[] = [];
  if (!NUMBER_FORMAT[input.kind].test(input.number)) {
    errors.push({
      path: '/number',
      code: 'invalid_format',
      message: input.kind === 'cma' ? 'A CMA number has 12 digits.' : 'A CNAS number reads like "CNAS L1234".',
    });
  }
  const seen = new Set<string>();
  input.scope.forEach((l, i) => {
    const key = `${l.parameterZh.trim()}|${l.standardCode.trim()}`;
    if (seen.has(key))
      errors.push({ path: `/scope/${i}`, code: 'duplicate', message: 'This parameter × standard is listed twice.' });
    seen.add(key);
  });
  if (errors.length > 0) throw validationFailed(errors);
  checkValidity(input);
}

/**
 * The validity rule, a business rule beside the formats: a certificate ends after it starts, and a
 * CMA certificate (资质认定证书) or a CNAS accreditation runs at most six years from its issue.
 * Both dates are named: either of them may be the wrong one.
 */
function checkValidity(input: { issuedOn: string; validUntil: string }) {
  const both = (code: 'qualification_ends_before_start' | 'qualification_too_long', message: string) =>
    unprocessable(
      code,
      message,
      ['/issuedOn', '/validUntil'].map((path) => ({ path, code, message })),
    );
  if (input.validUntil <= input.issuedOn) {
    throw both('qualification_ends_before_start', 'A certificate must end after the day it was issued.');
  }
  if (input.validUntil >= sixYearsOn(input.issuedOn)) {
    throw both(
      'qualification_too_long',
      'A CMA or CNAS certificate is valid for at most six years from its issue date.',
    );
  }
}

const clean = (lines: ScopeLineInput[]): repo.ScopeLine[] =>
  lines.map((l) => ({
    productZh: (l.productZh ?? '').trim(),
    parameterZh: l.parameterZh.trim(),
    parameterEn: (l.parameterEn ?? '').trim(),
    standardCode: l.standardCode.trim().replace(/\s+/g, ' '),
  }));

export function view(q: repo.QualificationRow, lines: (repo.ScopeLine & { qualificationId: string })[], today: string) {
  return {
    id: q.id,
    kind: q.kind,
    number: q.number,
    issuingBody: q.issuingBody,
    issuedOn: q.issuedOn,
    validUntil: q.validUntil,
    withdrawnOn: q.withdrawnOn,
    state: stateOf(q, today),
    file:
      q.filePath && q.fileName && q.fileType
        ? { fileName: q.fileName, contentType: q.fileType, sizeBytes: q.fileSizeBytes ?? 0 }
        : null,
    scope: lines
      .filter((l) => l.qualificationId === q.id)
      .map((l) => ({
        productZh: l.productZh,
        parameterZh: l.parameterZh,
        parameterEn: l.parameterEn,
        standardCode: l.standardCode,
      })),
  };
}

/** All the lab's certificates with their scope, for its members (404 to anyone else). */
export async function listQualifications(deps: LabDeps, actor: Actor | null, labId: string) {
  memberOf(actor, labId);
  const today = localDate(deps.clock());
  const rows = await repo.allQualificationsOf(deps.db, labId);
  const lines = await repo.scopeLinesOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((q) => view(q, lines, today)) };
}

const numberTaken = () =>
  conflict('qualification_number_taken', 'A certificate with this number is already registered.', [
    { path: '/number', code: 'qualification_number_taken', message: 'Already registered.' },
  ]);

export async function addQualification(deps: LabDeps, actor: Actor | null, labId: string, input: QualificationInput) {
  const a = managerOf(actor, labId);
  const body = { ...input, number: input.number.trim(), issuingBody: (input.issuingBody ?? '').trim() };
  check(body);
  const today = localDate(deps.clock());
  try {
    return await deps.db.transaction(async (tx) => {
      const q = await repo.insertQualification(tx, {
        labId,
        kind: body.kind,
        number: body.number,
        issuedOn: body.issuedOn,
        validUntil: body.validUntil,
        issuingBody: body.issuingBody,
        createdAt: deps.clock(),
      });
      const lines = clean(body.scope);
      await repo.replaceScopeLines(tx, q.id, lines);
      await recordAudit(tx, a, {
        at: deps.clock(),
        action: 'lab.qualification_added',
        entityType: 'lab_qualification',
        entityId: q.id,
        orgId: labId,
        after: { ...q, scope: lines },
      });
      return view(
        q,
        lines.map((l) => ({ ...l, qualificationId: q.id })),
        today,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error, 'lab_qualifications_kind_number_uq')) throw numberTaken();
    throw error;
  }
}

export async function editQualification(
  deps: LabDeps,
  actor: Actor | null,
  labId: string,
  id: string,
  patch: Partial<Omit<QualificationInput, 'kind'>>,
) {
  const a = managerOf(actor, labId);
  const today = localDate(deps.clock());
  try {
    return await deps.db.transaction(async (tx) => {
      const before = await repo.lockQualification(tx, labId, id);
      if (!before) throw notFound('qualification');
      if (before.withdrawnOn !== null) {
        throw conflict('qualification_withdrawn', 'A withdrawn certificate is kept as it was.');
      }
      const beforeLines = await repo.scopeLinesOf(tx, [id]);
      const next = {
        kind: before.kind,
        number: patch.number?.trim() ?? before.number,
        issuedOn: patch.issuedOn ?? before.issuedOn,
        validUntil: patch.validUntil ?? before.validUntil,
        issuingBody: patch.issuingBody?.trim() ?? before.issuingBody,
        scope: patch.scope ?? beforeLines,
      };
      check(next);
      const q = await repo.updateQualification(tx, id, {
        number: next.number,
        issuedOn: next.issuedOn,
        validUntil: next.validUntil,
        issuingBody: next.issuingBody,
        updatedAt: deps.clock(),
      });
      const lines = patch.scope ? clean(patch.scope) : beforeLines;
      if (patch.scope) await repo.replaceScopeLines(tx, id, lines);
      await recordAudit(tx, a, {
        at: deps.clock(),
        action: 'lab.qualification_edited',
        entityType: 'lab_qualification',
        entityId: id,
        orgId: labId,
        before: { ...before, scope: beforeLines },
        after: { ...q, scope: lines },
      });
      return view(
        q,
        lines.map((l) => ({ ...l, qualificationId: id })),
        today,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error, 'lab_qualifications_kind_number_uq')) throw numberTaken();
    throw error;
  }
}

/** Withdraws the certificate from today (China time): from today on it gives no mark. */
export async function withdrawQualification(deps: LabDeps, actor: Actor | null, labId: string, id: string) {
  const a = managerOf(actor, labId);
  const today = localDate(deps.clock());
  return deps.db.transaction(async (tx) => {
    const before = await repo.lockQualification(tx, labId, id);
    if (!before) throw notFound('qualification');
    const lines = await repo.scopeLinesOf(tx, [id]);
    if (before.withdrawnOn !== null) return view(before, lines, today);
    const q = await repo.updateQualification(tx, id, { withdrawnOn: today, updatedAt: deps.clock() });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'lab.qualification_withdrawn',
      entityType: 'lab_qualification',
      entityId: id,
      orgId: labId,
      before: { withdrawnOn: null },
      after: { withdrawnOn: today },
    });
    return view(q, lines, today);
  });
}
