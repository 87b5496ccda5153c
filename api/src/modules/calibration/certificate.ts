import type { CalibrationRecord, DbOrTx } from '@qihub/db';
import { calibrationLinesOfOrder, deleteRecordsOfReport, insertRecords, recordsOfReport } from './repository.ts';
import { addMonths, intervalMonthsOf } from './rules.ts';

// Calibration records written from an issued calibration certificate, and the instruments it prints.

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export interface IssuedCertificate {
  /** The issued report. */
  reportId: string;
  /** The report it replaces, if any: that one's records give way to this one's. */
  replacesReportId: string | null;
  /** Whether the report is a calibration certificate (only those write records). */
  isCertificate: boolean;
  order: { id: string; customerOrgId: string; labId: string };
  /** The China date of issue. */
  issueDate: string;
}

/**
 * Writes one calibration record per calibration line of the order when a certificate is issued,
 * due `intervalMonths` (default 12) after the issue date. Called inside the issue transaction.
 */
export async function recordCertificateCalibrations(tx: DbOrTx, issued: IssuedCertificate): Promise<void> {
  // The replaced certificate's calibration records give way to the new one's, which keep their
  // calibration and due dates (a corrected certificate does not recalibrate the instrument).
  const replacedRecords = issued.replacesReportId ? await deleteRecordsOfReport(tx, issued.replacesReportId) : [];
  if (!issued.isCertificate) return;
  const { order, issueDate } = issued;
  const lines = await calibrationLinesOfOrder(tx, order.id);
  if (lines.length === 0) return;
  const unmatched = [...replacedRecords];
  await insertRecords(
    tx,
    lines.map((l) => {
      const d = l.details;
      const instrumentName = str(d.instrumentName) || l.descriptionZh;
      const model = str(d.model);
      const serialNumber = str(d.serialNumber);
      const previous = takeReplacedRecord(unmatched, { instrumentName, model, serialNumber });
      return {
        customerOrgId: order.customerOrgId,
        labId: order.labId,
        orderId: order.id,
        reportId: issued.reportId,
        instrumentName,
        model,
        serialNumber,
        measuringRange: str(d.measuringRange),
        accuracyClass: str(d.accuracyClass),
        method: d.method === 'verification' ? 'verification' : 'calibration',
        calibratedOn: previous?.calibratedOn ?? issueDate,
        nextDueOn: previous?.nextDueOn ?? addMonths(issueDate, intervalMonthsOf(d)),
        recallRemindedAt: previous?.recallRemindedAt ?? null,
      };
    }),
  );
}

/**
 * The replaced certificate's record of the same instrument (taken out of `records`): the same
 * non-empty serial number, or for an instrument without one the next record of the same name and
 * model without one (those came from the same issue with the same dates, so any pairing will do).
 */
function takeReplacedRecord(
  records: CalibrationRecord[],
  line: { instrumentName: string; model: string; serialNumber: string },
) {
  const i = line.serialNumber
    ? records.findIndex((r) => r.serialNumber === line.serialNumber)
    : records.findIndex(
        (r) => r.serialNumber === '' && r.instrumentName === line.instrumentName && r.model === line.model,
      );
  return i < 0 ? undefined : records.splice(i, 1)[0];
}

/** The instruments a certificate prints: its records, or (without any) the order's calibration lines. */
export async function instrumentsOnCertificate(db: DbOrTx, certificate: { reportId: string; orderId: string }) {
  const recs = await recordsOfReport(db, certificate.reportId);
  if (recs.length > 0) {
    return recs.map((r) => ({
      instrumentName: r.instrumentName,
      model: r.model,
      serialNumber: r.serialNumber,
      measuringRange: r.measuringRange,
      accuracyClass: r.accuracyClass,
      nextDueOn: r.nextDueOn,
    }));
  }
  // A replaced certificate's records gave way to its successor's: print from the lines.
  const lines = await calibrationLinesOfOrder(db, certificate.orderId);
  return lines.map((l) => ({
    instrumentName: String(l.details.instrumentName ?? l.descriptionZh),
    model: String(l.details.model ?? ''),
    serialNumber: String(l.details.serialNumber ?? ''),
    measuringRange: String(l.details.measuringRange ?? ''),
    accuracyClass: String(l.details.accuracyClass ?? ''),
    nextDueOn: '',
  }));
}
