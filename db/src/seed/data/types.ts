import type { MemberRole, ServiceKind } from '../../schema/enums.ts';

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
