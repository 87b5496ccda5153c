/**
 * The headers the web sends with a file it streams on from the API (report PDFs, sample photos,
 * attachments). The file is served from this site's origin, so it must never be read as a page of
 * it: nothing is sniffed, only the types the API itself serves keep their type, and only inert
 * ones (images, PDF) may be shown in the browser; anything else is a download of bytes.
 */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'application/pdf']);

/** Every type the API serves as a file (api/src/modules/conversation/files.ts, report PDFs, photos). */
const SERVED_TYPES = new Set([
  ...INLINE_TYPES,
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]);

export function fileHeaders(upstream: Headers, fallbackName: string): Headers {
  const headers = new Headers({ 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
  const declared = upstream.get('content-type') ?? '';
  const type = declared.split(';')[0]!.trim().toLowerCase();
  const served = SERVED_TYPES.has(type);
  headers.set('content-type', served ? declared : 'application/octet-stream');
  const disposition = upstream.get('content-disposition');
  const inline = !disposition || /^inline\b/i.test(disposition.trim());
  if (!(served && INLINE_TYPES.has(type) && inline)) {
    headers.set('content-disposition', asAttachment(disposition, fallbackName));
  } else if (disposition) {
    headers.set('content-disposition', disposition);
  }
  for (const name of ['content-length', 'etag', 'x-content-sha256']) {
    const value = upstream.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
}

/** The API's disposition made a download, keeping its file name; or one with the fallback name. */
function asAttachment(disposition: string | null, fallbackName: string): string {
  const params = disposition?.trim().replace(/^(inline|attachment)\s*;?\s*/i, '') ?? '';
  if (/filename/i.test(params)) return `attachment; ${params}`;
  return `attachment; filename="${fallbackName.replace(/[^\w.-]/g, '_')}"`;
}
