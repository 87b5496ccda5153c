import { invalidateAll } from '$app/navigation';
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

/**
 * `use:enhance` for a form with a busy button: `busy(true)` while it is on its way. The form keeps
 * what was typed unless `reset`; with `refreshOnRefusal`, a refusal reloads the page's data too
 * (a booking refused because the calendar changed shows the calendar as it is now).
 */
export function whileBusy(
  busy: (on: boolean) => void,
  options: { reset?: boolean; refreshOnRefusal?: boolean } = {},
): SubmitFunction {
  return () => {
    busy(true);
    return async ({ update, result }) => {
      await update({ reset: options.reset ?? false });
      if (options.refreshOnRefusal && result.type === 'failure') await invalidateAll();
      busy(false);
    };
  };
}
