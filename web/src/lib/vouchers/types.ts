import type { components } from '$lib/api/schema';

/* Innovation vouchers (创新券) as the API answers them. */
export type Programme = components['schemas']['VoucherProgramme'];
export type Application = components['schemas']['VoucherApplication'];
export type Claim = components['schemas']['VoucherClaim'];
export type Quota = components['schemas']['MyVouchers']['items'][number];
export type ServiceKind = Programme['eligibleKinds'][number];
export type ClaimStatus = Claim['status'];
export type ApplicationStatus = Application['status'];

export const CLAIM_STATUSES = [
  'submitted',
  'approved',
  'rejected',
  'void',
  'paid',
] as const satisfies readonly ClaimStatus[];
export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const satisfies readonly ApplicationStatus[];

/** The service kinds a programme may cover (the catalogue's kinds, in its order). */
export const SERVICE_KINDS = [
  'instrument_time',
  'outsourced_experiment',
  'commissioned_test',
  'calibration',
  'standards',
  'certification',
  'quality_management',
  'technical_assistance',
  'training',
  'ip',
  'brand',
] as const satisfies readonly ServiceKind[];
