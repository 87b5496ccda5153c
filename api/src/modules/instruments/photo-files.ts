import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { InstrumentPhoto } from '@qihub/db';
import { AppError, unprocessable } from '../../lib/errors.ts';

/**
 * An instrument's photo on disk: the upload is read by sharp (libvips), whatever its name says, and
 * only a JPEG, PNG or WebP is taken; it is turned upright (EXIF orientation), narrowed to each width
 * below without enlarging, and written as WebP without its metadata (no camera, no GPS position).
 * The files are named by the source's hash, so a URL never changes meaning and may be cached forever.
 */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** A decompression bomb (a tiny file of huge dimensions) is refused before it is decoded: 50 MP. */
export const PHOTO_MAX_PIXELS = 50_000_000;
export const PHOTO_WIDTHS = [320, 960] as const;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);
const HASH = /^[0-9a-f]{16}$/;

export const photoFolder = (labId: string, instrumentId: string) =>
  path.posix.join('instrument-photos', labId, instrumentId);

/** The stored file of one variant, e.g. `3f2a…-w320.webp`. */
export const variantFileName = (hash: string, name: string) => `${hash}-${name}.webp`;

/** The variant a public file name asks for, or null for a name this module never wrote. */
export function parseVariantFileName(file: string): { hash: string; name: string } | null {
  const m = /^([0-9a-f]{16})-(w\d{2,4})\.webp$/.exec(file);
  return m ? { hash: m[1]!, name: m[2]! } : null;
}

const unsupported = () =>
  new AppError(415, 'unsupported_file_type', 'An instrument photo is a JPEG, PNG or WebP image.');

/**
 * Writes the WebP variants of the image at `sourcePath` into `<filesDir>/<folder>/`. Refuses what
 * is not a readable JPEG, PNG or WebP (415) and images of more than PHOTO_MAX_PIXELS (422); on a
 * refusal or failure nothing it wrote is left behind.
 */
export async function writePhotoVariants(
  filesDir: string,
  folder: string,
  sourcePath: string,
  sha256: string,
): Promise<{ photo: InstrumentPhoto; files: string[] }> {
  const hash = sha256.slice(0, 16).toLowerCase();
  if (!HASH.test(hash)) throw new Error('The upload has no SHA-256.');
  // Reading the header only: dimensions are known before a pixel is decoded.
  const meta = await sharp(sourcePath, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!meta || !meta.format || !ACCEPTED_FORMATS.has(meta.format)) throw unsupported();
  if (!meta.width || !meta.height) throw unsupported();
  if (meta.width * meta.height > PHOTO_MAX_PIXELS) {
    throw unprocessable(
      'image_too_large',
      `The image has ${meta.width} × ${meta.height} pixels; at most ${PHOTO_MAX_PIXELS / 1_000_000} million.`,
    );
  }
  const dir = path.join(filesDir, folder);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  try {
    const variants: InstrumentPhoto['variants'] = [];
    for (const width of PHOTO_WIDTHS) {
      const name = `w${width}`;
      const full = path.join(dir, variantFileName(hash, name));
      files.push(full);
      const info = await sharp(sourcePath, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error' })
        .rotate()
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 80, effort: 4 })
        .toFile(full);
      variants.push({ name, width: info.width, height: info.height });
    }
    return { photo: { hash, variants }, files };
  } catch (error) {
    await removeFiles(files);
    // A disk that is full or gone is the server's trouble, not the image's.
    if (error instanceof AppError || typeof (error as { code?: unknown }).code === 'string') throw error;
    // libvips refuses a truncated or corrupt image only when it decodes the pixels.
    throw unsupported();
  }
}

/** Public path of one variant (the content hash in it: a new photo is a new URL). */
export const photoUrl = (instrumentId: string, hash: string, name: string) =>
  `/v1/instruments/${instrumentId}/photos/${hash}-${name}.webp`;

/** The photo as the API shows it: each variant with its URL and size, narrowest first. */
export function photoOut(instrumentId: string, photo: InstrumentPhoto | null) {
  if (!photo) return null;
  return {
    hash: photo.hash,
    variants: photo.variants.map((v) => ({
      width: v.width,
      height: v.height,
      url: photoUrl(instrumentId, photo.hash, v.name),
    })),
  };
}

/** The variant files of a stored photo (for removal after the row no longer names them). */
export function photoFiles(filesDir: string, folder: string, photo: InstrumentPhoto | null): string[] {
  if (!photo) return [];
  return photo.variants.map((v) => path.join(filesDir, folder, variantFileName(photo.hash, v.name)));
}

export async function removeFiles(files: string[]) {
  await Promise.all(files.map((f) => unlink(f).catch(() => {})));
}
