import type { components } from '$lib/api/schema';

export type Application = components['schemas']['AdmissionApplication'];
export type CaseView = components['schemas']['AdmissionCase'];
export type ChecklistId = Application['selfEvaluation'][number]['item'];

/** Rows offered for sites and certificates on the form (empty rows are dropped). */
export const SITE_ROWS = 3;
export const CERT_ROWS = 3;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/**
 * The application form as the API's body: the entity and offering as typed; a site or certificate
 * row only when something was typed in it; one self-evaluation answer per checklist item answered.
 * The API checks the rest (formats when saving, completeness when submitting).
 */
const certRowFilled = (row: { number: string; validFrom: string; validUntil: string; scopeSummary: string }) =>
  !!(row.number || row.validFrom || row.validUntil || row.scopeSummary);

function fileId(form: FormData, i: number): Application['certificates'][number]['file'] {
  const id = text(form, `cert${i}.fileId`);
  return /^[0-9a-f-]{36}$/i.test(id) ? { id, fileName: '', contentType: '', sizeBytes: 0 } : null;
}

/**
 * The scans chosen on the form, each with its certificate's place in the saved application (empty
 * rows are dropped there, so the place is counted over the filled rows only).
 */
export function certificateUploads(form: FormData): { index: number; file: File }[] {
  const uploads: { index: number; file: File }[] = [];
  let index = 0;
  for (let i = 0; i < CERT_ROWS; i++) {
    const row = {
      number: text(form, `cert${i}.number`),
      validFrom: text(form, `cert${i}.validFrom`),
      validUntil: text(form, `cert${i}.validUntil`),
      scopeSummary: text(form, `cert${i}.scopeSummary`),
    };
    if (!certRowFilled(row)) continue;
    const file = form.get(`cert${i}.file`);
    if (file instanceof File && file.size > 0 && file.name !== '') uploads.push({ index, file });
    index++;
  }
  return uploads;
}

export function parseApplication(form: FormData, checklist: readonly ChecklistId[]): Application {
  const sites: Application['sites'] = [];
  for (let i = 0; i < SITE_ROWS; i++) {
    const row = {
      name: text(form, `site${i}.name`),
      regionCode: text(form, `site${i}.regionCode`),
      address: text(form, `site${i}.address`),
    };
    if (row.name || row.regionCode || row.address) sites.push(row);
  }
  const certificates: Application['certificates'] = [];
  for (let i = 0; i < CERT_ROWS; i++) {
    const row = {
      kind: (text(form, `cert${i}.kind`) === 'cnas' ? 'cnas' : 'cma') as 'cma' | 'cnas',
      number: text(form, `cert${i}.number`),
      validFrom: text(form, `cert${i}.validFrom`),
      validUntil: text(form, `cert${i}.validUntil`),
      scopeSummary: text(form, `cert${i}.scopeSummary`),
      // The scan already stored: the API keeps it by id (with its own name and type).
      file: fileId(form, i),
    };
    if (certRowFilled(row)) certificates.push(row);
  }
  const selfEvaluation: Application['selfEvaluation'] = [];
  for (const item of checklist) {
    const answer = text(form, `eval.${item}.answer`);
    if (answer === 'yes' || answer === 'partly' || answer === 'no') {
      selfEvaluation.push({ item, answer, note: text(form, `eval.${item}.note`) });
    }
  }
  return {
    entity: {
      legalName: text(form, 'legalName'),
      creditCode: text(form, 'creditCode'),
      legalRepresentative: text(form, 'legalRepresentative'),
      address: text(form, 'address'),
    },
    offering: text(form, 'offering'),
    sites,
    certificates,
    selfEvaluation,
  };
}

/** "2026-12-03 24:00": the last day of a notice in China, from its end instant (next day's 00:00 +08:00). */
export function noticeEndText(endsAt: string | null | undefined): string {
  if (!endsAt) return '';
  const lastDay = new Date(Date.parse(endsAt) - 1 + 8 * 3_600_000).toISOString().slice(0, 10);
  return `${lastDay} 24:00`;
}

export function noticeStartText(startsAt: string | null | undefined): string {
  if (!startsAt) return '';
  return new Date(Date.parse(startsAt) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
