// Every message file of this locale, merged: one chunk, loaded only when the page speaks en.
import type { Messages } from '$lib/i18n';
import base from '../../../messages/en.json';

const areas = import.meta.glob<Record<string, unknown>>('../../../messages/*.en.json', {
  eager: true,
  import: 'default',
});

const messages: Messages = Object.assign(
  {},
  base,
  ...Object.keys(areas)
    .sort()
    .map((file) => areas[file]),
);
export default messages;
