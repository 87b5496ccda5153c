/** Labs and their qualifications. */
export { labRoutes } from './routes.ts';
export { findLab, qualificationsOf } from './repository.ts';
export { labJobHandlers } from './jobs.ts';
export { acceptInvitations } from './members.ts';
/** Checking and storing a certificate scan, for the admission application's certificates. */
export { CERTIFICATE_MAX_BYTES, removeScan, scanOnDisk, storeCertificateScan } from './certificate-scan.ts';
export { managerOf, view as qualificationView } from './qualifications.ts';
export { qualificationOf, lockQualification, updateQualification, scopeLinesOf } from './repository/qualifications.ts';
export type { LabDeps } from './service.ts';
export { QualificationOut, QualificationParams } from './schema.ts';
