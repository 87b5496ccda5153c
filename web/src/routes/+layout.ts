import { loadMessages } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// A page needs the messages of its language before it renders: the browser fetches that one
// language's chunk (the server has both from the start).
export const load: LayoutLoad = async ({ data }) => {
  await loadMessages(data.locale);
  return data;
};
