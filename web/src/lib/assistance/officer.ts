/** The service officer's desk: which requests are still open, as the API counts them. */
const DONE = {
  assistance: ['resolved', 'closed'],
  order: ['closed', 'cancelled', 'expired'],
} as const;

export function isOpenRequest(kind: 'assistance' | 'order', status: string): boolean {
  return !(DONE[kind] as readonly string[]).includes(status);
}

export type RequestKindFilter = 'assistance' | 'order' | null;

export function parseKindFilter(value: string | null): RequestKindFilter {
  return value === 'assistance' || value === 'order' ? value : null;
}
