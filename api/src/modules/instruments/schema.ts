import { instrumentStatus } from '@qihub/db';
import { Type, type Static } from 'typebox';
import {
  createAndPatch,
  DateTime,
  ListQuery,
  LocalDate,
  MoneyOrNull,
  Nullable,
  placeFields,
  QualificationKind,
  RegionCode,
  ServiceKind,
  Uuid,
} from '../../lib/schema.ts';

export const InstrumentStatus = Type.Enum(instrumentStatus.enumValues, { $id: 'InstrumentStatus' });
export const SortParam = Type.Enum(['relevance', 'name', 'price_asc', 'price_desc', 'newest'], {
  description: 'relevance (default when q is given), name (default otherwise), price_asc, price_desc, newest',
});

/** The filters, order and page a public catalogue search (of instruments or services) takes besides its own. */
export function catalogueFilters(priceDescription: string) {
  return {
    region: Type.Optional(RegionCode),
    lab: Type.Optional(Uuid),
    qualification: Type.Optional(QualificationKind),
    minPrice: Type.Optional(Type.Integer({ minimum: 0, description: priceDescription })),
    maxPrice: Type.Optional(Type.Integer({ minimum: 0, description: priceDescription })),
    sort: Type.Optional(SortParam),
    ...ListQuery,
  };
}

export const InstrumentQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Words in Chinese or English, e.g. 扫描电镜 or SEM' })),
  category: Type.Optional(Type.String({ maxLength: 50 })),
  ...catalogueFilters('External hourly rate, fen'),
});
export type InstrumentQuery = Static<typeof InstrumentQuery>;

export const Rates = Type.Object(
  {
    internalHour: MoneyOrNull,
    externalHour: MoneyOrNull,
    internalSample: MoneyOrNull,
    externalSample: MoneyOrNull,
  },
  { $id: 'InstrumentRates' },
);

export const SiteRef = Type.Object({ ...placeFields, timeZone: Type.String() }, { $id: 'SiteRef' });

export const InstrumentSummary = Type.Object(
  {
    id: Uuid,
    nameZh: Type.String(),
    nameEn: Type.String(),
    model: Type.String(),
    manufacturer: Type.String(),
    status: InstrumentStatus,
    photoUrl: Nullable(Type.String()),
    unitCount: Type.Integer(),
    category: Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
    lab: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
    site: SiteRef,
    rates: Rates,
    qualifications: Type.Array(QualificationKind, { description: 'Kinds of valid qualification the lab holds today' }),
  },
  { $id: 'InstrumentSummary' },
);

export const LabQualificationOut = Type.Object(
  {
    kind: QualificationKind,
    number: Type.String(),
    issuedOn: LocalDate,
    validUntil: LocalDate,
    valid: Type.Boolean(),
  },
  { $id: 'LabQualification' },
);

export const InstrumentDetail = Type.Intersect(
  [
    InstrumentSummary,
    Type.Object({
      techniques: Type.Array(Type.String()),
      specs: Type.Record(Type.String(), Type.String()),
      descriptionZh: Type.String(),
      descriptionEn: Type.String(),
      siteAddress: Type.Object({ addressZh: Type.String(), addressEn: Type.String() }),
      labQualifications: Type.Array(LabQualificationOut),
      services: Type.Array(Type.Object({ id: Uuid, kind: ServiceKind, nameZh: Type.String(), nameEn: Type.String() })),
      createdAt: DateTime,
      updatedAt: DateTime,
    }),
  ],
  { $id: 'InstrumentDetail' },
);

const Fen = Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'fen' }));
const instrumentFields = {
  siteId: Uuid,
  nameZh: Type.String({ minLength: 2, maxLength: 120 }),
  nameEn: Type.String({ maxLength: 160 }),
  model: Type.String({ maxLength: 120 }),
  manufacturer: Type.String({ maxLength: 120 }),
  categoryCode: Type.String({ minLength: 1, maxLength: 50 }),
  techniques: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30 }),
  specs: Type.Record(Type.String({ minLength: 1, maxLength: 80 }), Type.String({ maxLength: 300 }), {
    maxProperties: 40,
  }),
  descriptionZh: Type.String({ maxLength: 4000 }),
  descriptionEn: Type.String({ maxLength: 4000 }),
  unitCount: Type.Integer({ minimum: 1, maximum: 100 }),
  status: Type.Union([Type.Literal('active'), Type.Literal('maintenance')]),
  photoUrl: Nullable(Type.String({ maxLength: 500, pattern: '^(https?://|/)' })),
  rates: Type.Object(
    { internalHour: Fen, externalHour: Fen, internalSample: Fen, externalSample: Fen },
    { additionalProperties: false },
  ),
};

const instrumentBodies = createAndPatch('Instrument', instrumentFields, ['siteId', 'nameZh', 'categoryCode', 'rates']);
export const InstrumentCreate = instrumentBodies.create;
export type InstrumentCreate = Static<typeof InstrumentCreate>;
export const InstrumentPatch = instrumentBodies.patch;
export type InstrumentPatch = Static<typeof InstrumentPatch>;

export const LabIdParams = Type.Object({ labId: Uuid });
export const LabInstrumentQuery = Type.Object({
  status: Type.Optional(InstrumentStatus),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  ...ListQuery,
});
