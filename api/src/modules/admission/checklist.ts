/**
 * The programme's self-evaluation checklist, build – manage – serve – evaluate (建设/管理/服务/评价),
 * after the provider conditions of DB33/T 2428-2022. The item texts are in the web's messages
 * (admission.checklist.<id>); the API knows the ids and their area, and asks for every one.
 */
export const CHECKLIST_AREAS = ['build', 'manage', 'serve', 'evaluate'] as const;
export type ChecklistArea = (typeof CHECKLIST_AREAS)[number];

export const CHECKLIST: readonly { id: string; area: ChecklistArea }[] = [
  { id: 'build.legal-entity', area: 'build' },
  { id: 'build.accreditation', area: 'build' },
  { id: 'build.instruments', area: 'build' },
  { id: 'build.staff', area: 'build' },
  { id: 'manage.quality-system', area: 'manage' },
  { id: 'manage.price-list', area: 'manage' },
  { id: 'manage.confidentiality', area: 'manage' },
  { id: 'manage.calibration', area: 'manage' },
  { id: 'serve.one-stop', area: 'serve' },
  { id: 'serve.time-limits', area: 'serve' },
  { id: 'serve.consulting', area: 'serve' },
  { id: 'serve.training', area: 'serve' },
  { id: 'evaluate.satisfaction', area: 'evaluate' },
  { id: 'evaluate.traceable-records', area: 'evaluate' },
  { id: 'evaluate.platform-review', area: 'evaluate' },
  { id: 'evaluate.annual-report', area: 'evaluate' },
];

export const CHECKLIST_IDS = CHECKLIST.map((c) => c.id);
