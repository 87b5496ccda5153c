import { instrumentStatus } from '@qihub/db';
import { Type, type Static, type TSchema } from 'typebox';
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

const PlaceOut = Type.Object({ code: RegionCode, nameZh: Type.String(), nameEn: Type.String() });

export const SearchSuggestion = Type.Object(
  {
    kind: Type.Enum(['drop_word', 'drop_filter', 'widen_region', 'region'], {
      description:
        'drop_word: search again without `word` (the query `q`); drop_filter: clear `filter`; widen_region: set the ' +
        'region filter to `region`, one level up; region: the query `q` (place words out) in the city `region`',
    }),
    word: Nullable(Type.String()),
    filter: Nullable(Type.Enum(['region', 'category', 'kind', 'lab', 'qualification', 'minPrice', 'maxPrice'])),
    region: Nullable(PlaceOut),
    q: Nullable(Type.String()),
    total: Type.Integer({ minimum: 1, description: 'What the changed search finds' }),
  },
  { $id: 'SearchSuggestion' },
);

/** A page of a public catalogue search, with the count of everything found and what the query was read as. */
export function SearchPage<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String()),
    total: Type.Integer({ minimum: 0, description: 'Everything the search finds, all pages' }),
    places: Type.Array(Type.Intersect([PlaceOut, Type.Object({ word: Type.String() })]), {
      description: 'Words of q read as places (GB/T 2260 regions): they narrow where the lab is, not the text',
    }),
    suggestions: Type.Array(SearchSuggestion, {
      description: 'When the first page is empty: changes to the search that find something',
    }),
  });
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

export const InstrumentPhotoOut = Type.Object(
  {
    hash: Type.String({ description: 'Names the content: a new photo has new URLs' }),
    variants: Type.Array(
      Type.Object({
        width: Type.Integer(),
        height: Type.Integer(),
        url: Type.String({ description: 'Path on this API; public, cached for a year (immutable)' }),
      }),
      { description: 'WebP, narrowest first (320 and 960 px wide; a narrower source is not enlarged)' },
    ),
  },
  { $id: 'InstrumentPhoto' },
);

export const InstrumentSummary = Type.Object(
  {
    id: Uuid,
    nameZh: Type.String(),
    nameEn: Type.String(),
    model: Type.String(),
    manufacturer: Type.String(),
    status: InstrumentStatus,
    photoUrl: Nullable(Type.String({ description: 'An outside photo address set through the API (see photo)' })),
    /** The uploaded photo; null: the web shows the category's illustration. */
    photo: Nullable(InstrumentPhotoOut),
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
