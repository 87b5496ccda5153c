import { priceModel, serviceStatus } from '@qihub/db';
import { Type, type Static } from 'typebox';
import {
  createAndPatch,
  DateTime,
  MoneyOrNull,
  Nullable,
  placeFields,
  QualificationKind,
  ServiceKind,
  ListQuery,
  Uuid,
} from '../../lib/schema.ts';
import { catalogueFilters, LabQualificationOut } from '../instruments/index.ts';

export const PriceModel = Type.Enum(priceModel.enumValues, { $id: 'PriceModel' });
export const ServiceStatus = Type.Enum(serviceStatus.enumValues, { $id: 'ServiceStatus' });

export const ServiceQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  kind: Type.Optional(ServiceKind),
  ...catalogueFilters('fen'),
});
export type ServiceQuery = Static<typeof ServiceQuery>;

export const LabServiceQuery = Type.Object({
  status: Type.Optional(ServiceStatus),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  ...ListQuery,
});
export type LabServiceQuery = Static<typeof LabServiceQuery>;

export const ServiceSummary = Type.Object(
  {
    id: Uuid,
    kind: ServiceKind,
    nameZh: Type.String(),
    nameEn: Type.String(),
    descriptionZh: Type.String(),
    descriptionEn: Type.String(),
    standardMethods: Type.Array(Type.String()),
    priceModel: PriceModel,
    price: MoneyOrNull,
    turnaroundDays: Nullable(Type.Integer()),
    status: ServiceStatus,
    lab: Type.Object(placeFields),
    qualifications: Type.Array(QualificationKind),
  },
  { $id: 'ServiceSummary' },
);

export const ServiceDetail = Type.Intersect(
  [
    ServiceSummary,
    Type.Object({
      instruments: Type.Array(
        Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String(), categoryCode: Type.String() }),
      ),
      labQualifications: Type.Array(LabQualificationOut),
      createdAt: DateTime,
      updatedAt: DateTime,
    }),
  ],
  { $id: 'ServiceDetail' },
);

const serviceFields = {
  kind: ServiceKind,
  nameZh: Type.String({ minLength: 2, maxLength: 160 }),
  nameEn: Type.String({ maxLength: 200 }),
  descriptionZh: Type.String({ maxLength: 4000 }),
  descriptionEn: Type.String({ maxLength: 4000 }),
  standardMethods: Type.Array(Type.String({ minLength: 2, maxLength: 80 }), { maxItems: 30 }),
  priceModel: PriceModel,
  priceAmount: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'fen; null when on quote' })),
  turnaroundDays: Nullable(Type.Integer({ minimum: 0, maximum: 365 })),
  instrumentIds: Type.Array(Uuid, { maxItems: 50, uniqueItems: true }),
};

const serviceBodies = createAndPatch('Service', serviceFields, ['kind', 'nameZh', 'priceModel', 'priceAmount']);
export const ServiceCreate = serviceBodies.create;
export type ServiceCreate = Static<typeof ServiceCreate>;
export const ServicePatch = serviceBodies.patch;
export type ServicePatch = Static<typeof ServicePatch>;
