import { reportStatus } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, LocalDate, Nullable, Uuid } from '../../lib/schema.ts';

const Text = (max: number) => Type.String({ maxLength: max });
const PersonRef = Nullable(Type.Object({ id: Uuid, name: Type.String() }));

export const ReportKind = Type.Union([Type.Literal('test'), Type.Literal('certificate'), Type.Literal('deliverable')], {
  $id: 'ReportKind',
});
export const ReportLanguage = Type.Union([Type.Literal('zh'), Type.Literal('en'), Type.Literal('both')], {
  $id: 'ReportLanguage',
});
export const Verdict = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('info')], {
  $id: 'Verdict',
});

export const ResultItemOut = Type.Object(
  {
    lineId: Nullable(Uuid),
    parameterZh: Type.String(),
    parameterEn: Type.String(),
    standardCode: Type.String(),
    requirement: Type.String(),
    result: Type.String(),
    unit: Type.String(),
    verdict: Verdict,
    /** Inside a valid CMA / CNAS scope (checked when the draft was saved, and again on the issue date). */
    inCmaScope: Type.Boolean(),
    inCnasScope: Type.Boolean(),
  },
  { $id: 'ResultItem' },
);

/** A result row as the lab writes it; scope marks are always computed by the server. */
export const ResultItemIn = Type.Object(
  {
    lineId: Type.Optional(Nullable(Uuid)),
    parameterZh: Type.String({ minLength: 1, maxLength: 200 }),
    parameterEn: Type.Optional(Text(200)),
    standardCode: Type.Optional(Text(100)),
    requirement: Type.Optional(Text(500)),
    result: Type.Optional(Text(500)),
    unit: Type.Optional(Text(40)),
    verdict: Type.Optional(Verdict),
  },
  { $id: 'ResultItemInput', additionalProperties: false },
);

export const SampleSummary = Type.Object(
  {
    sampleName: Type.Optional(Text(200)),
    specification: Type.Optional(Text(200)),
    manufacturer: Type.Optional(Text(200)),
    batch: Type.Optional(Text(100)),
    quantity: Type.Optional(Text(100)),
    receiptDate: Type.Optional(Text(20)),
    testBasis: Type.Optional(Text(500)),
    evaluationBasis: Type.Optional(Text(500)),
    purpose: Type.Optional(Text(500)),
    sampleCodes: Type.Optional(Type.Array(Text(60), { maxItems: 200 })),
  },
  { $id: 'ReportSample', additionalProperties: false },
);

export const ReportOut = Type.Object(
  {
    id: Uuid,
    orderId: Uuid,
    orderNumber: Type.String(),
    labId: Uuid,
    /** Assigned on issue: "<prefix>-<year>-<6 digits>". */
    number: Nullable(Type.String()),
    status: Type.Enum(reportStatus.enumValues),
    kind: ReportKind,
    language: ReportLanguage,
    verificationCode: Type.String(),
    verificationUrl: Type.String(),
    sampleSummary: Type.Record(Type.String(), Type.Unknown()),
    /** The order's lines this report covers (an order may have several reports, one per set of lines). */
    lineIds: Type.Array(Uuid),
    results: Type.Array(ResultItemOut),
    conclusionZh: Type.String(),
    conclusionEn: Type.String(),
    cmaMark: Type.Boolean(),
    cnasMark: Type.Boolean(),
    tester: PersonRef,
    reviewer: PersonRef,
    reviewedAt: Nullable(DateTime),
    signatory: PersonRef,
    issuedAt: Nullable(DateTime),
    /** The stored PDF's SHA-256 (hex), once rendered. */
    pdfSha256: Nullable(Type.String()),
    pdfReady: Type.Boolean(),
    replacesReportId: Nullable(Uuid),
    replacedByReportId: Nullable(Uuid),
    revokedAt: Nullable(DateTime),
    revokeReason: Nullable(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Report' },
);

export const ReportList = Type.Object({ items: Type.Array(ReportOut) }, { $id: 'ReportList' });

export const ReportCreate = Type.Object(
  {
    /** Default: "certificate" for an order with calibration lines, "deliverable" for consulting-only orders, else "test". */
    kind: Type.Optional(ReportKind),
    /** Default: the commission form's report language. */
    language: Type.Optional(ReportLanguage),
    testerId: Type.Optional(Nullable(Uuid)),
    /**
     * The order's lines the report covers (each in at most one live report). Default: every line
     * no report covers yet.
     */
    lineIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true })),
  },
  { $id: 'ReportCreate', additionalProperties: false },
);

export const ReportPatch = Type.Object(
  {
    results: Type.Optional(Type.Array(ResultItemIn, { maxItems: 500 })),
    conclusionZh: Type.Optional(Text(5000)),
    conclusionEn: Type.Optional(Text(5000)),
    testerId: Type.Optional(Nullable(Uuid)),
    language: Type.Optional(ReportLanguage),
    sampleSummary: Type.Optional(SampleSummary),
  },
  { $id: 'ReportPatch', additionalProperties: false },
);

export const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
    comment: Type.Optional(Text(2000)),
  },
  { $id: 'ReportReview', additionalProperties: false },
);

export const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 1000 }) },
  { $id: 'ReportReason', additionalProperties: false },
);

export const VerifyParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 200 }) });

export const VerificationOut = Type.Object(
  {
    number: Type.String(),
    kind: ReportKind,
    labNameZh: Type.String(),
    labNameEn: Type.String(),
    issuedOn: LocalDate,
    issuedAt: DateTime,
    /** "issued" shows as valid. */
    status: Type.Union([Type.Literal('valid'), Type.Literal('replaced'), Type.Literal('revoked')]),
    replacedByNumber: Nullable(Type.String()),
    revokedAt: Nullable(DateTime),
    /** SHA-256 (hex) of the PDF the lab issued; null until it is rendered. */
    pdfSha256: Nullable(Type.String()),
  },
  { $id: 'ReportVerification' },
);

export const SignatoryOut = Type.Object(
  {
    user: Type.Object({ id: Uuid, name: Type.String(), email: Type.String() }),
    scopeZh: Type.String(),
    createdAt: DateTime,
    revokedAt: Nullable(DateTime),
    active: Type.Boolean(),
  },
  { $id: 'Signatory' },
);
export const SignatoryList = Type.Object({ items: Type.Array(SignatoryOut) }, { $id: 'SignatoryList' });
export const SignatoryCreate = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    scopeZh: Type.Optional(Text(1000)),
  },
  { $id: 'SignatoryCreate', additionalProperties: false },
);
export const SignatoryParams = Type.Object({ id: Uuid, userId: Uuid });

export const LabReportQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(reportStatus.enumValues)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
