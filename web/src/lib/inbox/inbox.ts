/** The inbox's categories of notice (the API's order), each with its e-mail switch. */
export const NOTICE_CATEGORIES = ['bookings', 'orders', 'money', 'events', 'platform'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

/** What a notice is about, read from where it links: a booking, an order, an invoice … */
const TARGETS: readonly [string, RegExp][] = [
  ['booking', /^\/(console\/)?bookings(\/|$|\?)/],
  ['order', /^\/(console\/)?orders(\/|$|\?)/],
  ['invoice', /^\/invoices(\/|$|\?)/],
  ['fapiao', /^\/console\/fapiao/],
  ['voucher', /^\/(console\/finance\/)?vouchers/],
  ['event', /^\/(console\/)?events(\/|$|\?)/],
  ['assistance', /^\/(officer\/)?assistance(\/|$|\?)/],
  ['calibration', /^\/calibration/],
  ['officer', /^\/officer/],
  ['case', /^\/(officer\/cases|console\/cases|admin\/cases|cases)/],
  ['admin', /^\/admin/],
  ['console', /^\/console/],
  ['catalogue', /^\/(instruments|services|labs)/],
];

/**
 * A notice's link if it is a path inside this site (the API writes them so; anything else — an
 * absolute or protocol-relative URL — is not followed), with what it is about for the link's words.
 */
export function noticeTarget(link: string | null): { href: string; about: string } | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null;
  const about = TARGETS.find(([, re]) => re.test(link))?.[0] ?? 'page';
  return { href: link, about };
}

/** The e-mail switches from a submitted form: a category is on when its checkbox was sent. */
export function emailChoicesFrom(form: FormData): Record<NoticeCategory, boolean> {
  return Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, form.get(`email-${c}`) === 'on'])) as Record<
    NoticeCategory,
    boolean
  >;
}
