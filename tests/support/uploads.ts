import type { FastifyInstance } from 'fastify';
import { bearer } from './app.ts';

/** A multipart/form-data body with one file part, as a browser sends it. */
export function filePart(filename: string, type: string, content: Buffer) {
  const boundary = '----qihubcertificate0123';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A small PDF, as a certificate scan. */
export const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
  Buffer.alloc(500, 0x20),
]);

/**
 * Sends one file to `url` (or `at`) as a browser's upload form does, signed in with `token`, or
 * without a session when it is null.
 */
export function fileSender(t: { app: FastifyInstance }, method: 'POST' | 'PUT', url: string) {
  return (token: string | null, name: string, type: string, content: Buffer, at = url) => {
    const f = filePart(name, type, content);
    return t.app.inject({
      method,
      url: at,
      payload: f.payload,
      headers: { ...f.headers, ...(token ? bearer(token) : {}) },
    });
  };
}
