/** The scans of the certificates a lab keeps in its console (upload, replace, download). */
export { qualificationScanRoutes } from './routes.ts';
/** Sending a stored certificate scan, for the admission application's scans too. */
export { ScanDownload, sendScan } from './download.ts';
