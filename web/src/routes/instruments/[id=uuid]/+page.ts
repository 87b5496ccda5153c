import type { PageLoad } from './$types';

/**
 * The booking panel's forms are the page's heaviest parts and most visits never show them: the
 * week grid comes first, and a form appears once a slot is picked. So their code is fetched only
 * for a page that shows one — before the page renders, on the server as in the browser, so a page
 * opened with a slot picked is drawn (and works without JavaScript) exactly as before, and one that
 * has none does not load them at all. Picking a slot in the browser fetches the form with the page.
 */
export const load: PageLoad = async ({ data }) => {
  const b = data.booking;
  const [BookingForm, WaitlistJoin] = await Promise.all([
    b.week && b.selection ? import('./BookingForm.svelte').then((m) => m.default) : null,
    b.week && b.waitTarget ? import('./WaitlistJoin.svelte').then((m) => m.default) : null,
  ]);
  return { ...data, panel: { BookingForm, WaitlistJoin } };
};
