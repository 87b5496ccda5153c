import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest, validationFailed } from '../../lib/errors.ts';
import {
  ALLOWED_EXTENSIONS,
  ATTACHMENT_TYPES,
  contentMatches,
  declaredTypeFits,
  sanitiseFileName,
  typeFromFileName,
} from './files.ts';

/** Bytes kept from the start of the file for the signature and text checks. */
const HEAD_BYTES = 64 * 1024;
export const MAX_BODY_CHARS = 5000;

export interface ReceivedUpload {
  /** The checked file, still in the temp folder; the caller renames it into place or removes it. */
  tempPath: string;
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  body: string;
}

const unsupported = (detail: string) =>
  new AppError(
    415,
    'unsupported_file_type',
    `${detail} Allowed: ${ALLOWED_EXTENSIONS.join(', ')} (PDF, images, plain text, CSV, Excel, Word).`,
  );

/**
 * Reads a multipart/form-data request with one part named `file` and an optional text part `body`.
 * The file streams to a temp file (SHA-256 and size counted on the way); then its name, declared type
 * and content are checked. Any refusal removes the temp file: nothing is left behind.
 */
export async function receiveUpload(
  request: FastifyRequest,
  options: { filesDir: string; maxBytes: number },
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data.');
  }
  const tempDir = path.join(options.filesDir, 'tmp');
  await mkdir(tempDir, { recursive: true });
  const id = randomUUID();
  const tempPath = path.join(tempDir, `${id}.part`);
  let wrote = false;
  try {
    let body = '';
    let file: {
      rawName: string;
      declared: string;
      size: number;
      sha256: string;
      head: Buffer;
      truncated: boolean;
    } | null = null;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          if (part.fieldname !== 'body') {
            throw validationFailed([
              { path: `/${part.fieldname}`, code: 'unknown_field', message: 'Only "file" and "body" are accepted.' },
            ]);
          }
          const value = typeof part.value === 'string' ? part.value : '';
          if (part.valueTruncated || [...value].length > MAX_BODY_CHARS) {
            throw validationFailed([
              { path: '/body', code: 'too_long', message: `At most ${MAX_BODY_CHARS} characters.` },
            ]);
          }
          body = value;
          continue;
        }
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw validationFailed([
            { path: `/${part.fieldname}`, code: 'unknown_field', message: 'Send one file, in the part "file".' },
          ]);
        }
        const hash = createHash('sha256');
        const headChunks: Buffer[] = [];
        let headLength = 0;
        let size = 0;
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            if (headLength < HEAD_BYTES) {
              headChunks.push(chunk);
              headLength += chunk.length;
            }
            callback(null, chunk);
          },
        });
        wrote = true;
        await pipeline(part.file, tap, createWriteStream(tempPath, { flags: 'wx', mode: 0o640 }));
        file = {
          rawName: part.filename ?? '',
          declared: part.mimetype,
          size,
          sha256: hash.digest('hex'),
          head: Buffer.concat(headChunks).subarray(0, HEAD_BYTES),
          truncated: part.file.truncated,
        };
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'FST_FILES_LIMIT') {
        throw validationFailed([{ path: '/file', code: 'too_many', message: 'Send one file per message.' }]);
      }
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(options.maxBytes);
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw badRequest('malformed_body', 'Too many parts in the form.');
      }
      throw badRequest('malformed_body', 'The multipart body could not be read.');
    }
    if (!file) throw validationFailed([{ path: '/file', code: 'required', message: 'Attach a file.' }]);
    if (file.truncated) throw tooLarge(options.maxBytes);
    const type = typeFromFileName(file.rawName);
    if (!type) throw unsupported('This kind of file is not accepted.');
    if (!declaredTypeFits(type, file.declared)) {
      throw unsupported(`The file is declared as ${file.declared} but named ${path.extname(file.rawName)}.`);
    }
    if (file.size === 0) {
      throw validationFailed([{ path: '/file', code: 'empty', message: 'The file is empty.' }]);
    }
    const matches = await contentMatches(type, file.head, () => readFile(tempPath));
    if (!matches) {
      throw unsupported(`The content of the file is not a ${path.extname(file.rawName).slice(1).toUpperCase()} file.`);
    }
    return {
      tempPath,
      id,
      fileName: sanitiseFileName(file.rawName, type),
      contentType: ATTACHMENT_TYPES[type].contentType,
      sizeBytes: file.size,
      sha256: file.sha256,
      body,
    };
  } catch (error) {
    if (wrote) await unlink(tempPath).catch(() => {});
    throw error;
  }
}

function tooLarge(maxBytes: number) {
  const mib = maxBytes / (1024 * 1024);
  return new AppError(
    413,
    'file_too_large',
    `The file is larger than ${Number.isInteger(mib) ? `${mib} MiB` : `${maxBytes} bytes`}.`,
  );
}
