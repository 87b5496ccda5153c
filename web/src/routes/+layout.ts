import { loadPageMessages } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// A page needs its messages before it renders: the browser fetches the base messages of its
// language and the message areas of this page (lib/messages/areas.ts), each once; the server has
// every message of both languages from the start.
export const load: LayoutLoad = async ({ data, route }) => {
  await loadPageMessages(data.locale, route.id);
  return data;
};
