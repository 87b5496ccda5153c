import type { MemberRole, ServiceKind } from '../../schema/enums.ts';
import type { CommissionForm, OrderStatus } from '../../schema/orders.ts';

export type RegionLevel = 'province' | 'city' | 'station';
export type LabType =
  'testing_institute' | 'university' | 'metrology' | 'materials' | 'emc' | 'food_chemical' | 'other';
export type PriceModel = 'fixed' | 'per_sample' | 'per_hour' | 'on_quote';

export interface RegionSeed {
  code: string;
  nameZh: string;
  nameEn: string;
  level: RegionLevel;
  parentCode: string | null;
}

export interface CategorySeed {
  code: string;
  nameZh: string;
  nameEn: string;
  aliases: string[];
}

/** Seed keys of the demo labs; ids are derived from them (see ../ids.ts). */
export type LabKey = 'sqi' | 'njut' | 'nbmetro' | 'wxmat' | 'szemc' | 'hzfood' | 'gzuni' | 'shmat';

export interface SiteSeed {
  key: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
  addressZh: string;
  addressEn: string;
}

export interface ScopeSeed {
  productZh?: string;
  parameterZh: string;
  parameterEn: string;
  standardCode: string;
}

export interface QualificationSeed {
  kind: 'cma' | 'cnas';
  number: string;
  /** CNAS scope is per site: the key of one of the lab's sites; omitted = the whole lab. */
  siteKey?: string;
  issuedOn: string;
  validUntil: string;
  scope: ScopeSeed[];
}

export interface LabSeed {
  key: LabKey;
  nameZh: string;
  nameEn: string;
  labType: LabType;
  regionCode: string;
  /** Authority prefix + 9-character body of the credit code; region and check char are added. */
  credit: { prefix: string; region: string; body: string };
  descriptionZh: string;
  descriptionEn: string;
  contactPhone: string;
  contactEmail: string;
  website: string;
  sites: SiteSeed[];
  qualifications: QualificationSeed[];
}

export interface Rates {
  /** fen per hour / per sample; omitted = not offered on that basis. */
  ih?: number;
  eh?: number;
  is?: number;
  es?: number;
}

export interface InstrumentSeed {
  key: string;
  lab: LabKey;
  /** Site key; defaults to the lab's first site. */
  site?: string;
  nameZh: string;
  nameEn: string;
  model: string;
  manufacturer: string;
  category: string;
  techniques: string[];
  specs: Record<string, string>;
  descriptionZh: string;
  descriptionEn: string;
  units?: number;
  status?: 'active' | 'maintenance';
  rates: Rates;
}

export interface ServiceSeed {
  key: string;
  lab: LabKey;
  kind: ServiceKind;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  standards: string[];
  priceModel: PriceModel;
  /** fen; must be null exactly when priceModel is 'on_quote'. */
  price: number | null;
  turnaroundDays: number | null;
  /** Keys of instruments of the same lab that the service uses. */
  instruments?: string[];
}

export interface OrgSeed {
  key: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
  credit: { prefix: string; region: string; body: string } | null;
  descriptionZh: string;
  descriptionEn: string;
  contactPhone: string | null;
  contactEmail: string | null;
  website: string | null;
}

/** An enterprise: size class (统计上大中小微型企业划分办法) and GB/T 4754 industry section. */
export interface EnterpriseSeed extends OrgSeed {
  size: 'micro' | 'small' | 'medium' | 'large';
  industryCode: string;
}

export interface PlatformSeed extends OrgSeed {
  level: 'province' | 'city' | 'station';
  parentKey: string | null;
}

/** A platform-wide operator (系统运维): a person with a system role and no organisation. */
export interface OperatorSeed {
  email: string;
  displayName: string;
  phone: string | null;
  description: string;
}

export interface UserSeed {
  email: string;
  displayName: string;
  phone: string | null;
  /** Seed key of the organisation (lab key, platform key or enterprise key). */
  orgKey: string;
  role: MemberRole;
  description: string;
}

export interface OrderLineSeed {
  service: string;
  parameterZh: string;
  standardCode: string;
  /** The priced quantity, in `unit`. */
  quantity: number;
  unit: string;
  /** Samples the line is for; by default the quantity of a line priced per sample, else none. */
  sampleCount?: number;
  /** Fen; null until quoted. */
  unitPriceFen: number | null;
  /** Numbers of the CMA / CNAS certificates whose scope lists the item (checked when quoted). */
  cma?: string;
  cnas?: string;
  details?: Record<string, unknown>;
}

export interface SampleSeed {
  nameZh: string;
  quantity: number;
  unit: string;
  receivedAt?: Date;
  conditionOnArrival?: string;
  storageLocation?: string;
}

export interface MessageSeed {
  at: Date;
  email: string;
  side: 'customer' | 'lab';
  body: string;
}

export interface OrderSeed {
  key: string;
  number: string;
  status: OrderStatus;
  customer: string;
  lab: LabKey;
  requestedBy: string;
  titleZh: string;
  requestNotes: string;
  requestedAt: Date;
  lines: OrderLineSeed[];
  /** Quoted by a lab member, or automatically (fixed prices) when `by` is null. */
  quote?: { at: Date; by: string | null; validUntil: string; notes: string };
  accepted?: { at: Date; by: string; commission: CommissionForm; deadlineTierDays: 5 | 15 | 25 | 30 };
  samples?: SampleSeed[];
  /** Received by this lab member; the clock starts when the last sample is in. */
  receivedBy?: string;
  clockStartedAt?: Date;
  dueAt?: Date;
  workStartedAt?: Date;
  /** Report submitted, reviewed and issued (timeline only: no report rows in the seed). */
  report?: { number: string; submittedAt: Date; reviewedAt: Date; reviewer: string; issuedAt: Date; signatory: string };
  objectionUntil?: Date;
  closedAt?: Date;
  messages?: MessageSeed[];
  rating?: { score: number; comment: string; at: Date; reply?: { text: string; email: string; at: Date } };
}
