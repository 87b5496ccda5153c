import { loadMessages, LOCALES } from '$lib/i18n';

// Unit tests translate in both languages, as the server does.
await Promise.all(LOCALES.map((locale) => loadMessages(locale)));
