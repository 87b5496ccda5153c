import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Db, InstrumentPhoto } from '@qihub/db';
import { assertCanEditLabCatalogue, isLabMember, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import type { ReceivedUpload } from '../conversation/index.ts';
import { parseVariantFileName, photoFiles, photoFolder, removeFiles, writePhotoVariants } from './photo-files.ts';
import * as repo from './repository.ts';

/**
 * An instrument's photo: one per instrument, the cover of its catalogue card and page. The lab's
 * managers (who edit its catalogue) upload, replace and remove it; anyone may fetch its files, which
 * are as public as the catalogue. Without one, the web shows the category's illustration.
 */
export interface PhotoDeps {
  db: Db;
  clock: () => Date;
  filesDir: string;
}

const retired = () => conflict('instrument_retired', 'A retired instrument cannot be edited.');

/** The instrument, when the actor may change its photo: checked before the upload is read. */
export async function assertMayChangePhoto(deps: PhotoDeps, actor: Actor | null, id: string) {
  const existing = await repo.findInstrument(deps.db, id);
  // As for any edit: another lab's retired instrument does not exist for the actor.
  if (!existing || (existing.status === 'retired' && !isLabMember(actor, existing.labId))) throw notFound('instrument');
  const a = assertCanEditLabCatalogue(actor, existing.labId);
  if (existing.status === 'retired') throw retired();
  return { existing, a };
}

/** Makes the upload the instrument's photo; the one it replaces leaves the disk after commit. */
export async function setInstrumentPhoto(
  deps: PhotoDeps,
  actor: Actor | null,
  id: string,
  upload: ReceivedUpload,
  requestId?: string,
) {
  let written: string[] = [];
  let photo: InstrumentPhoto;
  let replaced: string[];
  try {
    const { existing } = await assertMayChangePhoto(deps, actor, id);
    const folder = photoFolder(existing.labId, id);
    ({ photo, files: written } = await writePhotoVariants(deps.filesDir, folder, upload.tempPath, upload.sha256));
    replaced = await changePhoto(deps, actor, id, photo, requestId);
  } catch (error) {
    // The same image uploaded again wrote the files the row still names: those stay.
    const current = await repo.findInstrument(deps.db, id).catch(() => undefined);
    const kept = new Set(current ? photoFiles(deps.filesDir, photoFolder(current.labId, id), current.photo) : []);
    await removeFiles(written.filter((f) => !kept.has(f)));
    throw error;
  } finally {
    await unlink(upload.tempPath).catch(() => {});
  }
  await removeFiles(replaced.filter((f) => !written.includes(f)));
}

/** Removes the photo: the card shows the category's illustration again. */
export async function removeInstrumentPhoto(deps: PhotoDeps, actor: Actor | null, id: string, requestId?: string) {
  await assertMayChangePhoto(deps, actor, id);
  await removeFiles(await changePhoto(deps, actor, id, null, requestId));
}

/** Writes the new photo (or none) on the locked row with its audit; returns the files it replaced. */
async function changePhoto(
  deps: PhotoDeps,
  actor: Actor | null,
  id: string,
  photo: InstrumentPhoto | null,
  requestId: string | undefined,
): Promise<string[]> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.lockInstrument(tx, id);
    if (!before) throw notFound('instrument');
    const a = assertCanEditLabCatalogue(actor, before.labId);
    if (before.status === 'retired') throw retired();
    // Removing a photo that is not there changes nothing (a repeated DELETE).
    if (!photo && !before.photo) return [];
    await repo.setInstrumentPhoto(tx, id, photo, deps.clock());
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: photo ? 'instrument.photo_set' : 'instrument.photo_removed',
      entityType: 'instrument',
      entityId: id,
      orgId: before.labId,
      before: { photo: before.photo },
      after: { photo },
      requestId,
    });
    return photoFiles(deps.filesDir, photoFolder(before.labId, id), before.photo);
  });
}

/**
 * One variant file of an instrument's current photo: the URL names the content, so a replaced or
 * removed photo's URL is 404 (its files are gone too). The photo is as public as its instrument: a
 * retired instrument has left the catalogue and its page is its lab's alone, so its photo is served
 * to the lab's members only (their console still shows it), privately, and is 404 to anyone else.
 */
export async function photoVariantFile(deps: PhotoDeps, actor: Actor | null, id: string, file: string) {
  const wanted = parseVariantFileName(file);
  const existing = wanted ? await repo.findInstrument(deps.db, id) : undefined;
  const photo = existing?.photo;
  if (!wanted || !existing || !photo || photo.hash !== wanted.hash) throw notFound('photo');
  if (!photo.variants.some((v) => v.name === wanted.name)) throw notFound('photo');
  const isPublic = existing.status !== 'retired';
  if (!isPublic && !isLabMember(actor, existing.labId)) throw notFound('photo');
  return {
    full: path.join(deps.filesDir, photoFolder(existing.labId, id), file),
    etag: `"${wanted.hash}-${wanted.name}"`,
    isPublic,
  };
}
