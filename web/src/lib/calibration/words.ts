import type { TFunction } from 'i18next';
import { daysLeftText, type DueStatus } from './calibration';

/** The badge's tone for a due status: overdue in red, due soon in amber, the rest quiet. */
export function dueTone(status: DueStatus): string {
  return status === 'overdue' ? 'badge-danger' : status === 'due_soon' ? 'badge-warn' : 'badge-muted';
}

/**
 * How the calibration lists (the customer's /calibration, the lab's console) describe a record: its
 * method, model, range and class on one line, and the days to its due date.
 */
export function calibrationWords(t: TFunction) {
  return {
    specs: (r: { method: string; model: string; measuringRange: string; accuracyClass: string }) =>
      [
        t(`qi.calibration.method.${r.method}`),
        r.model ? `${t('qi.calibration.model')} ${r.model}` : '',
        r.measuringRange,
        r.accuracyClass,
      ]
        .filter(Boolean)
        .join(' · '),
    days: (n: number) => {
      const d = daysLeftText(n);
      return t(`qi.calibration.days.${d.key}`, { count: d.count });
    },
  };
}
