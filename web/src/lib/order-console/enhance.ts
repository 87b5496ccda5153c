import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` for forms filled from the page's data (quote, report, settings): after a save the
 * page data is reloaded but the form is not reset, since a reset would put inputs back to their
 * initial attributes and throw away what the reload just put there.
 */
export const keepValues: SubmitFunction = () => {
  return async ({ update }) => {
    await update({ reset: false });
  };
};
