import path from 'node:path';

/**
 * What may be attached to an order conversation, and how a file proves it is what its name says:
 * the extension names the type, the declared content type must not contradict it, and the first
 * bytes (or, for Office files, the package's part names) must match. A renamed program is refused.
 */
export type AttachmentType = 'pdf' | 'png' | 'jpeg' | 'webp' | 'txt' | 'csv' | 'xlsx' | 'docx';

interface TypeRule {
  contentType: string;
  extensions: readonly string[];
  /** Declared types a browser or client may send for this kind of file (besides octet-stream). */
  declared: readonly string[];
}

export const ATTACHMENT_TYPES: Readonly<Record<AttachmentType, TypeRule>> = {
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'], declared: ['application/pdf', 'application/x-pdf'] },
  png: { contentType: 'image/png', extensions: ['.png'], declared: ['image/png'] },
  jpeg: { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], declared: ['image/jpeg', 'image/pjpeg'] },
  webp: { contentType: 'image/webp', extensions: ['.webp'], declared: ['image/webp'] },
  txt: { contentType: 'text/plain', extensions: ['.txt'], declared: ['text/plain'] },
  csv: {
    contentType: 'text/csv',
    extensions: ['.csv'],
    // Windows sends the Excel type for .csv when Excel is installed.
    declared: ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', 'text/comma-separated-values'],
  },
  xlsx: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['.xlsx'],
    declared: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip'],
  },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['.docx'],
    declared: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/zip'],
  },
};

/** Human list for error messages and the API description. */
export const ALLOWED_EXTENSIONS = Object.values(ATTACHMENT_TYPES).flatMap((t) => t.extensions);

const GENERIC_DECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** The type the file name claims (by extension), if it is one we accept. */
export function typeFromFileName(fileName: string): AttachmentType | null {
  const ext = path.extname(fileName).toLowerCase();
  for (const [type, rule] of Object.entries(ATTACHMENT_TYPES) as [AttachmentType, TypeRule][]) {
    if (rule.extensions.includes(ext)) return type;
  }
  return null;
}

/** Whether the declared content type (from the multipart part header) fits the claimed type. */
export function declaredTypeFits(type: AttachmentType, declared: string | undefined): boolean {
  const base = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (GENERIC_DECLARED.has(base)) return true;
  return ATTACHMENT_TYPES[type].declared.includes(base);
}

const startsWith = (buf: Buffer, bytes: readonly number[], offset = 0) =>
  buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Binary signatures we recognise, so a "text" file that is really one of these is refused. */
function binarySignature(head: Buffer): string | null {
  if (startsWith(head, ascii('%PDF-'))) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, ascii('MZ'))) return 'exe';
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return 'elf';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, ascii('Rar!'))) return 'rar';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  return null;
}

/**
 * Plain text: no NUL and no control characters other than tab, line feed, carriage return, form feed
 * and escape. Any byte ≥ 0x80 passes (UTF-8, and GBK as exported by Chinese Excel).
 */
function looksLikeText(sample: Buffer): boolean {
  for (const b of sample) {
    if (b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x1b) continue;
    if (b < 0x20 || b === 0x7f) return false;
  }
  return true;
}

/**
 * Whether the content matches the claimed type. `head` is the first bytes (at least 64 KiB when the
 * file is that large); `whole` is called only for Office packages, whose part names must be read.
 */
export async function contentMatches(
  type: AttachmentType,
  head: Buffer,
  whole: () => Promise<Buffer>,
): Promise<boolean> {
  const sig = binarySignature(head);
  switch (type) {
    case 'pdf':
    case 'png':
    case 'jpeg':
    case 'webp':
      return sig === type;
    case 'txt':
    case 'csv':
      return sig === null && looksLikeText(head);
    case 'xlsx':
    case 'docx': {
      if (sig !== 'zip') return false;
      // Part names are stored uncompressed in the ZIP headers and central directory.
      const all = await whole();
      const marker = type === 'xlsx' ? 'xl/workbook.xml' : 'word/document.xml';
      return all.includes('[Content_Types].xml', 0, 'latin1') && all.includes(marker, 0, 'latin1');
    }
  }
}

const MAX_NAME_CHARS = 150;

/**
 * The original file name as shown to people: no folders, no control or path characters, Unicode
 * NFC, at most 150 characters with the extension kept. Never used to build a path on disk.
 */
export function sanitiseFileName(raw: string, type: AttachmentType): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const ext = path.extname(name);
  if (!ext || name === ext) name = `attachment${ATTACHMENT_TYPES[type].extensions[0]}`;
  const chars = [...name];
  if (chars.length > MAX_NAME_CHARS) {
    const extChars = [...path.extname(name)];
    name = chars.slice(0, MAX_NAME_CHARS - extChars.length).join('') + extChars.join('');
  }
  return name;
}

/**
 * RFC 6266 / 8187: an ASCII fallback for old clients and the exact UTF-8 name in `filename*`.
 */
export function contentDisposition(fileName: string): string {
  const fallback = [...fileName]
    .map((c) => (/^[\x20-\x7e]$/.test(c) && c !== '"' && c !== '\\' && c !== '%' ? c : '_'))
    .join('');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
