import { Type, type Static } from 'typebox';
import { DateTime, LabType, LocalDate, Nullable, QualificationKind, RegionCode, Uuid } from '../../lib/schema.ts';
import { CHECKLIST_AREAS, CHECKLIST_IDS } from './checklist.ts';

export const OrgStatus = Type.Enum(['pending', 'active', 'suspended']);
export const CaseStatus = Type.Enum([
  'draft',
  'submitted',
  'changes_requested',
  'on_notice',
  'admitted',
  'rejected',
  'exited',
]);
export const CaseKind = Type.Enum(['admission', 'exit']);

/** Drafts may be saved half filled in; completeness is checked when the lab submits. */
const Entity = Type.Object(
  {
    legalName: Type.String({ maxLength: 200 }),
    creditCode: Type.String({ maxLength: 18 }),
    legalRepresentative: Type.String({ maxLength: 50 }),
    address: Type.String({ maxLength: 300 }),
  },
  { additionalProperties: false },
);

const DeclaredSite = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    regionCode: RegionCode,
    address: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false },
);

export const CertificateFile = Type.Object(
  { id: Uuid, fileName: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

const Certificate = Type.Object(
  {
    kind: QualificationKind,
    /** CMA: 12 digits; CNAS: "CNAS L1234" (as lab_qualifications checks). */
    number: Type.String({ pattern: '^([0-9]{12}|CNAS [LIPR][0-9]{4,5})$' }),
    validFrom: LocalDate,
    validUntil: LocalDate,
    scopeSummary: Type.String({ maxLength: 2000 }),
    file: Type.Optional(Nullable(CertificateFile)),
  },
  { additionalProperties: false },
);

const SelfEvaluationAnswer = Type.Object(
  {
    item: Type.Enum(CHECKLIST_IDS),
    answer: Type.Enum(['yes', 'partly', 'no']),
    note: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const ApplicationBody = Type.Object(
  {
    entity: Entity,
    offering: Type.String({ maxLength: 1000 }),
    sites: Type.Array(DeclaredSite, { maxItems: 20 }),
    certificates: Type.Array(Certificate, { maxItems: 20 }),
    selfEvaluation: Type.Array(SelfEvaluationAnswer, { maxItems: CHECKLIST_IDS.length }),
  },
  { $id: 'AdmissionApplication', additionalProperties: false },
);
export type ApplicationInput = Static<typeof ApplicationBody>;

export const ChecklistItem = Type.Object({ id: Type.String(), area: Type.Enum([...CHECKLIST_AREAS]) });

export const AdmissionCaseView = Type.Object(
  {
    id: Nullable(Uuid),
    kind: CaseKind,
    status: CaseStatus,
    application: Nullable(ApplicationBody),
    reason: Nullable(Type.String()),
    submittedAt: Nullable(DateTime),
    noticeStartsAt: Nullable(DateTime),
    noticeEndsAt: Nullable(DateTime),
    decidedAt: Nullable(DateTime),
  },
  { $id: 'AdmissionCase' },
);

export const LabApplication = Type.Object({
  labId: Uuid,
  labStatus: OrgStatus,
  case: AdmissionCaseView,
  /** The case is closed (rejected, or the lab left): saving the form starts a new application. */
  canApplyAgain: Type.Boolean(),
  checklist: Type.Array(ChecklistItem),
});

export const Objection = Type.Object(
  {
    id: Uuid,
    caseId: Uuid,
    caseKind: CaseKind,
    reason: Type.String(),
    contact: Type.String(),
    filedAt: DateTime,
    handling: Nullable(Type.String()),
    handledAt: Nullable(DateTime),
  },
  { $id: 'AdmissionObjection' },
);

export const LabForReview = Type.Object({
  id: Uuid,
  nameZh: Type.String(),
  nameEn: Type.String(),
  status: OrgStatus,
  labType: Nullable(LabType),
  regionCode: Type.String(),
  regionZh: Nullable(Type.String()),
  regionEn: Nullable(Type.String()),
  creditCode: Nullable(Type.String()),
  createdAt: DateTime,
  admissionStatus: Nullable(CaseStatus),
  exitStatus: Nullable(CaseStatus),
  noticeEndsAt: Nullable(DateTime),
});

export const LabReview = Type.Object({
  lab: LabForReview,
  admission: Nullable(AdmissionCaseView),
  exit: Nullable(AdmissionCaseView),
  /** Earlier cases of the lab (an application rejected, an exit before it applied again), newest first. */
  history: Type.Array(AdmissionCaseView),
  objections: Type.Array(Objection),
  checklist: Type.Array(ChecklistItem),
});

export const Reason = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 1000 }) },
  { additionalProperties: false },
);

export const PublicNotice = Type.Object(
  {
    id: Uuid,
    kind: CaseKind,
    labNameZh: Type.String(),
    labNameEn: Type.String(),
    regionCode: Type.String(),
    regionZh: Type.String(),
    regionEn: Type.String(),
    cityZh: Nullable(Type.String()),
    cityEn: Nullable(Type.String()),
    offering: Type.String(),
    qualifications: Type.Array(
      Type.Object({
        kind: QualificationKind,
        number: Type.String(),
        validUntil: LocalDate,
        scopeSummary: Type.String(),
      }),
    ),
    noticeStartsAt: DateTime,
    noticeEndsAt: DateTime,
    open: Type.Boolean(),
  },
  { $id: 'PublicNotice' },
);

export const ObjectionBody = Type.Object(
  {
    reason: Type.String({ minLength: 5, maxLength: 2000 }),
    /** A phone number or an email: how the platform reaches the objector (never shown publicly). */
    contact: Type.String({ minLength: 3, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const HandlingBody = Type.Object(
  { handling: Type.String({ minLength: 2, maxLength: 2000 }) },
  { additionalProperties: false },
);
