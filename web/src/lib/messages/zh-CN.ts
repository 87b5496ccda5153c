// Every message file of this locale, merged: one chunk, loaded only when the page speaks zh-CN.
import type { Messages } from '$lib/i18n';
import base from '../../../messages/zh-CN.json';

const areas = import.meta.glob<Record<string, unknown>>('../../../messages/*.zh-CN.json', {
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
