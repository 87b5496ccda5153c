import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../lib/errors.ts';
import { contentDisposition } from '../conversation/index.ts';

/** The OpenAPI answer of a certificate scan download. */
export const ScanDownload = {
  description: 'The stored scan, as an attachment download',
  content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
};

/**
 * Sends a stored certificate scan as a private attachment download (the type it was checked to be,
 * never sniffed); a file missing on disk is logged and answers 404.
 */
export async function sendScan(
  request: FastifyRequest,
  reply: FastifyReply,
  scan: { full: string; contentType: string; fileName: string },
) {
  let size: number;
  try {
    size = (await stat(scan.full)).size;
  } catch {
    request.log.error({ file: scan.full }, 'certificate scan missing on disk');
    throw notFound('file');
  }
  return reply
    .type(scan.contentType)
    .header('content-length', size)
    .header('content-disposition', contentDisposition(scan.fileName))
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(createReadStream(scan.full) as unknown as string);
}
