import type { AdmissionApplication, AdmissionCase, DbOrTx } from '@qihub/db';
import { checkCreditCode } from '../../lib/credit-code.ts';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, unprocessable, type FieldError } from '../../lib/errors.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { platformAdminsFor } from './notify.ts';
import { labForManager } from './access.ts';
import { CHECKLIST, CHECKLIST_IDS } from './checklist.ts';
import type { AdmissionDeps } from './deps.ts';
import * as repo from './repository.ts';
import { removeUnusedScans, scanIds, type FileDeps } from './scan-files.ts';
import type { ApplicationInput } from './schema.ts';

/** The lab may edit while it prepares the application or after the platform asked for changes. */
const EDITABLE: AdmissionCase['status'][] = ['draft', 'changes_requested'];

export function emptyApplication(
  lab: { nameZh: string; creditCode: string | null },
  sites: AdmissionApplication['sites'] = [],
): AdmissionApplication {
  return {
    entity: { legalName: lab.nameZh, creditCode: lab.creditCode ?? '', legalRepresentative: '', address: '' },
    offering: '',
    sites,
    certificates: [],
    selfEvaluation: [],
  };
}

export function caseView(c: AdmissionCase | undefined, fallback: AdmissionApplication | null) {
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  return {
    id: c?.id ?? null,
    kind: c?.kind ?? ('admission' as const),
    status: c?.status ?? ('draft' as const),
    application: normalise(c?.application ?? fallback),
    reason: c?.reason ?? null,
    submittedAt: iso(c?.submittedAt),
    noticeStartsAt: iso(c?.noticeStartsAt),
    noticeEndsAt: iso(c?.noticeEndsAt),
    decidedAt: iso(c?.decidedAt),
  };
}

function normalise(app: AdmissionApplication | null) {
  if (!app) return null;
  return { ...app, certificates: app.certificates.map((c) => ({ ...c, file: c.file ?? null })) };
}

/** The lab's application as it stands (an unsaved draft prefilled from the registration). */
export async function getApplication(deps: AdmissionDeps, actor: Actor | null, labId: string) {
  const { lab } = await labForManager(deps, actor, labId);
  const c = await repo.admissionCaseOf(deps.db, labId);
  const again = await mayApplyAgain(deps.db, labId, c);
  // A lab with no application yet starts from its registration, and from the sites it already has
  // (one admitted before applications existed, which has since left, applies with them).
  const sites = c ? [] : await repo.sitesOfLab(deps.db, labId);
  return {
    labId,
    labStatus: lab.status,
    case: caseView(
      c,
      emptyApplication(
        lab,
        sites.map((s) => ({ name: s.nameZh, regionCode: s.regionCode, address: s.addressZh })),
      ),
    ),
    canApplyAgain: again,
    checklist: [...CHECKLIST],
  };
}

/**
 * A closed case lets the lab apply again, as a new case (the old one stays, with its reason, as the
 * history): an application rejected, or an admission whose lab has since left (exit completed). A
 * lab admitted with no application on file (before applications existed, or by the demo seed) that
 * has left applies again as well.
 */
async function mayApplyAgain(db: DbOrTx, labId: string, c: AdmissionCase | undefined) {
  if (c?.status === 'rejected') return true;
  if (c && c.status !== 'admitted') return false;
  const exit = await repo.latestExitCaseOf(db, labId);
  // At or after: an exit is only started for an admitted lab (a standing test clock gives both one instant).
  return !!exit && exit.status === 'exited' && (!c || exit.createdAt >= c.createdAt);
}

/**
 * The files of the certificates as the lab sends them back: only a file already stored for this
 * case (or the lab's earlier one) is kept, and with its stored name and type, never the client's.
 */
function keepStoredFiles(application: AdmissionApplication, ...known: (AdmissionCase | undefined)[]) {
  const stored = new Map(
    known.flatMap((c) => c?.application?.certificates.flatMap((x) => (x.file ? [[x.file.id, x.file]] : [])) ?? []),
  );
  return {
    ...application,
    certificates: application.certificates.map((c) => ({ ...c, file: (c.file && stored.get(c.file.id)) ?? null })),
  };
}

/** Saves the draft (or the edits asked for); nothing is checked for completeness until submission. */
export async function saveApplication(
  deps: FileDeps,
  actor: Actor | null,
  labId: string,
  input: ApplicationInput,
  requestId?: string,
) {
  const { a, lab } = await labForManager(deps, actor, labId);
  const dropped = await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const current = await repo.admissionCaseOf(tx, labId, true);
    const again = await mayApplyAgain(tx, labId, current);
    const application = keepStoredFiles(toApplication(input), current);
    const kept = new Set(application.certificates.flatMap((c) => (c.file ? [c.file.id] : [])));
    // Scans of the case edited that the lab took off (a new case leaves the old one's alone).
    const droppedScans = !current || again ? [] : scanIds(current).filter((id) => !kept.has(id));
    if (!current || again) {
      if (again && current?.status !== 'rejected') {
        // A lab that left applies again: it awaits admission like a new one.
        await repo.setLabStatus(tx, labId, ['suspended'], 'pending', now);
      } else if (lab.status !== 'pending') {
        throw conflict('illegal_transition', 'Only a lab awaiting admission applies.');
      }
      const created = await repo.insertCase(tx, {
        labId,
        kind: 'admission',
        status: 'draft',
        application,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, a, {
        at: now,
        action: 'admission.saved',
        entityType: 'admission_case',
        entityId: created.id,
        orgId: labId,
        before: current ? { previousCase: current.id, status: current.status } : undefined,
        after: { status: 'draft' },
        requestId,
      });
      return [];
    }
    const updated = await repo.updateCase(tx, current.id, EDITABLE, { application, updatedAt: now });
    if (!updated) throw illegal(current.status, 'edited');
    await recordAudit(tx, a, {
      at: now,
      action: 'admission.saved',
      entityType: 'admission_case',
      entityId: current.id,
      orgId: labId,
      after: { status: updated.status },
      requestId,
    });
    return droppedScans;
  });
  await removeUnusedScans(deps, labId, dropped);
  return getApplication(deps, actor, labId);
}

/** Submits (or resubmits after changes asked for) a complete application for review. */
export async function submitApplication(deps: AdmissionDeps, actor: Actor | null, labId: string, requestId?: string) {
  const { a, lab } = await labForManager(deps, actor, labId);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const current = await repo.admissionCaseOf(tx, labId, true);
    if (!current) throw unprocessable('application_incomplete', 'Fill in the application first.');
    if (!EDITABLE.includes(current.status)) throw illegal(current.status, 'submitted');
    await assertComplete(tx, current.application ?? emptyApplication(lab));
    const updated = await repo.updateCase(tx, current.id, EDITABLE, {
      status: 'submitted',
      submittedAt: now,
      updatedAt: now,
    });
    if (!updated) throw illegal(current.status, 'submitted');
    await recordAudit(tx, a, {
      at: now,
      action: 'admission.submitted',
      entityType: 'admission_case',
      entityId: current.id,
      orgId: labId,
      before: { status: current.status },
      after: { status: 'submitted' },
      requestId,
    });
    await notifyUsers(
      tx,
      await platformAdminsFor(tx, lab.regionCode),
      {
        kind: 'admission_submitted',
        titleZh: `${lab.nameZh} 提交了入驻申请`,
        titleEn: `${lab.nameEn || lab.nameZh} applied to join`,
        link: `/admin/labs/${labId}`,
      },
      `admission:${current.id}:submitted:${now.toISOString()}`,
      now,
    );
    await notifyUsers(
      tx,
      await membersOf(tx, labId, { roles: ['manager'], exceptUserId: a.userId }),
      {
        kind: 'admission_submitted',
        titleZh: '入驻申请已提交，等待平台审核',
        titleEn: 'The application was submitted for review',
        link: '/console/application',
      },
      `admission:${current.id}:submitted-lab:${now.toISOString()}`,
      now,
    );
  });
  return getApplication(deps, actor, labId);
}

const illegal = (status: string, done: string) =>
  conflict('illegal_transition', `An application that is ${status} cannot be ${done}.`);

function toApplication(input: ApplicationInput): AdmissionApplication {
  return {
    entity: {
      legalName: input.entity.legalName.trim(),
      creditCode: input.entity.creditCode.trim().toUpperCase(),
      legalRepresentative: input.entity.legalRepresentative.trim(),
      address: input.entity.address.trim(),
    },
    offering: input.offering.trim(),
    sites: input.sites.map((s) => ({ name: s.name.trim(), regionCode: s.regionCode, address: s.address.trim() })),
    certificates: input.certificates.map((c) => ({
      kind: c.kind,
      number: c.number,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
      scopeSummary: c.scopeSummary.trim(),
      file: c.file ?? null,
    })),
    // In the checklist's order, one answer per item (a repeated item keeps its last answer).
    selfEvaluation: CHECKLIST_IDS.flatMap((id) => {
      const answer = input.selfEvaluation.findLast((s) => s.item === id);
      return answer ? [{ item: id, answer: answer.answer, note: answer.note.trim() }] : [];
    }),
  };
}

/**
 * A complete application: the legal entity in full (a valid credit code), what it offers, at least
 * one site in a known region, at least one CMA or CNAS certificate whose validity makes sense, and
 * an answer to every item of the checklist (a "no" or "partly" with a note saying why).
 */
async function assertComplete(tx: DbOrTx, app: AdmissionApplication) {
  const errors: FieldError[] = [];
  const need = (path: string, ok: boolean, code: FieldError['code'] = 'required', message = 'Required.') => {
    if (!ok) errors.push({ path, code, message });
  };
  need('/entity/legalName', app.entity.legalName !== '');
  need('/entity/legalRepresentative', app.entity.legalRepresentative !== '');
  need('/entity/address', app.entity.address !== '');
  if (app.entity.creditCode === '') need('/entity/creditCode', false);
  else
    need(
      '/entity/creditCode',
      checkCreditCode(app.entity.creditCode) === null,
      'invalid_credit_code',
      'Not a valid unified social credit code (GB 32100-2015).',
    );
  need('/offering', app.offering !== '');
  need('/sites', app.sites.length > 0, 'too_few', 'At least one site.');
  const known = await repo.knownRegions(tx, [...new Set(app.sites.map((s) => s.regionCode))]);
  app.sites.forEach((s, i) =>
    need(`/sites/${i}/regionCode`, known.has(s.regionCode), 'unknown_region', 'Unknown region code.'),
  );
  need('/certificates', app.certificates.length > 0, 'too_few', 'At least one CMA or CNAS certificate.');
  app.certificates.forEach((c, i) => {
    need(
      `/certificates/${i}/number`,
      c.kind === 'cma' ? /^[0-9]{12}$/.test(c.number) : /^CNAS [LIPR][0-9]{4,5}$/.test(c.number),
      'invalid_format',
      c.kind === 'cma' ? 'A CMA number has 12 digits.' : 'A CNAS number reads like "CNAS L1234".',
    );
    need(`/certificates/${i}/validUntil`, c.validUntil > c.validFrom, 'invalid_value', 'Ends after it starts.');
    need(`/certificates/${i}/scopeSummary`, c.scopeSummary !== '');
  });
  CHECKLIST_IDS.forEach((id, i) => {
    const answer = app.selfEvaluation.find((s) => s.item === id);
    need(`/selfEvaluation/${i}`, !!answer, 'required', `Answer "${id}".`);
    if (answer && answer.answer !== 'yes') {
      need(`/selfEvaluation/${i}/note`, answer.note !== '', 'required', 'Say why, and what is planned.');
    }
  });
  if (errors.length > 0) {
    throw unprocessable('application_incomplete', 'The application is not complete.', errors);
  }
}
