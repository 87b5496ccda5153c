import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Order, OrderSample, OrderStatus, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { loadOrderFor } from './access.ts';
import { promiseDueAt } from './deadline.ts';
import { notifySide } from './notify.ts';
import { findSample, samplesOfOrder, updateSample } from './repository/samples.ts';
import type { OrderDeps } from './deps.ts';
import { assertFrom, runStep } from './step.ts';
import { logReceipt } from './custody.ts';
import { recordOrderEvent, transitionOrder } from './transition.ts';

async function sampleOf(tx: Tx, order: Order, sampleId: string): Promise<OrderSample> {
  const sample = await findSample(tx, order.id, sampleId, { forUpdate: true });
  if (!sample) throw notFound('sample');
  return sample;
}

/**
 * After a sample is decided: when none is still expected and at least one is in hand, the order
 * moves to samples_received and the turnaround clock starts. When every sample was rejected the
 * order stays awaiting samples and the lab is told it may cancel (or the customer may resend).
 */
async function afterDecision(tx: Tx, order: Order, actor: Actor, now: Date) {
  const all = await samplesOfOrder(tx, order.id);
  if (all.some((s) => s.status === 'expected')) return;
  if (all.some((s) => s.status === 'received')) {
    await transitionOrder(
      tx,
      order,
      ['awaiting_samples'],
      'samples_received',
      { actor, side: 'lab', action: 'order.samples_received', data: { clockStarted: true } },
      { clockStartedAt: now, dueAt: await promiseDueAt(tx, order, now) },
      now,
    );
  } else {
    await recordOrderEvent(tx, order, { actor, side: 'lab', action: 'samples.all_rejected' }, now);
  }
}

export function receiveSample(
  deps: OrderDeps,
  actor: Actor | null,
  orderId: string,
  sampleId: string,
  input: { conditionOnArrival: string; quantity: number; storageLocation?: string },
) {
  return runStep(deps, actor, orderId, 'receive_sample', async (tx, { order }, role, now) => {
    const sample = await sampleOf(tx, order, sampleId);
    assertFrom(order, 'receive_sample', role);
    if (sample.status !== 'expected') throw conflict('sample_not_expected', `This sample is already ${sample.status}.`);
    const a = requireActor(actor);
    await updateSample(tx, sample.id, {
      status: 'received',
      conditionOnArrival: input.conditionOnArrival,
      quantity: input.quantity,
      storageLocation: input.storageLocation ?? '',
      receivedAt: now,
      receivedBy: a.userId,
    });
    await logReceipt(tx, sample, a.userId, input.storageLocation ?? '', now);
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'lab',
        action: 'sample.received',
        data: { sampleId, code: sample.code, quantity: input.quantity, condition: input.conditionOnArrival },
      },
      now,
    );
    await notifySide(tx, order, 'customer', {
      at: now,
      kind: 'sample_received',
      occurrence: sample.id,
      titleZh: `样品 ${sample.code} 已收到`,
      titleEn: `Sample ${sample.code} received`,
      bodyZh: `到样状态：${input.conditionOnArrival}；数量 ${input.quantity}。`,
      bodyEn: `Condition on arrival: ${input.conditionOnArrival}; quantity ${input.quantity}.`,
    });
    await afterDecision(tx, order, a, now);
  });
}

export function rejectSample(deps: OrderDeps, actor: Actor | null, orderId: string, sampleId: string, reason: string) {
  return runStep(deps, actor, orderId, 'reject_sample', async (tx, { order }, role, now) => {
    const sample = await sampleOf(tx, order, sampleId);
    assertFrom(order, 'reject_sample', role);
    if (sample.status !== 'expected') throw conflict('sample_not_expected', `This sample is already ${sample.status}.`);
    const a = requireActor(actor);
    await updateSample(tx, sample.id, {
      status: 'rejected',
      rejectedReason: reason,
      receivedAt: now,
      receivedBy: a.userId,
    });
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'lab',
        action: 'sample.rejected',
        data: { sampleId, code: sample.code, reason },
      },
      now,
    );
    await notifySide(tx, order, 'customer', {
      at: now,
      kind: 'sample_rejected',
      occurrence: sample.id,
      titleZh: `样品 ${sample.code} 被拒收`,
      titleEn: `Sample ${sample.code} rejected`,
      bodyZh: reason,
      bodyEn: reason,
    });
    await afterDecision(tx, order, a, now);
  });
}

/** Accepted photo types, told apart by their first bytes, not by the client's word. */
const PHOTO_TYPES: Record<string, { ext: string; magic: (b: Buffer) => boolean }> = {
  'image/jpeg': { ext: 'jpg', magic: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/png': {
    ext: 'png',
    magic: (b) =>
      b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  'image/webp': {
    ext: 'webp',
    magic: (b) => b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  },
};
export const PHOTO_CONTENT_TYPES = Object.keys(PHOTO_TYPES);

/** Order statuses in which a sample's arrival photo may be uploaded (or replaced). */
const PHOTO_STATES: readonly OrderStatus[] = ['awaiting_samples', 'samples_received', 'in_progress'];

/**
 * Who may upload a sample's arrival photo (the lab's managers and staff, while samples arrive or
 * work runs): 401, 404 to strangers, 403, 409. The route asks this before it reads the image body.
 */
export async function assertMayStorePhoto(deps: OrderDeps, actor: Actor | null, orderId: string) {
  const access = await loadOrderFor(deps.db, actor, orderId);
  if (access.side !== 'lab' || !access.role || !['manager', 'staff'].includes(access.role)) {
    throw forbidden("Only the lab's managers and staff may do this.");
  }
  // The arrival photo belongs to receiving and working on the samples: not after the report is out,
  // nor on a cancelled or closed order.
  if (!PHOTO_STATES.includes(access.order.status)) {
    throw conflict('illegal_transition', `The order is ${access.order.status}; sample photos are taken on arrival.`);
  }
  return access;
}

/** Stores the arrival photo of a sample under <filesDir>/samples/<uuid>.<ext> (the lab's managers and staff). */
export async function storeSamplePhoto(
  deps: OrderDeps & { filesDir: string },
  actor: Actor | null,
  orderId: string,
  sampleId: string,
  contentType: string,
  data: unknown,
) {
  // Who may upload is checked first (401 / 404 / 403 before anything about the body), and before
  // anything is written, so a refused request leaves no file and tells a stranger nothing.
  await assertMayStorePhoto(deps, actor, orderId);
  if (!Buffer.isBuffer(data)) throw badRequest('photo_required', 'Send the image as the request body.');
  const type = PHOTO_TYPES[contentType.split(';')[0]!.trim().toLowerCase()];
  if (!type) throw unprocessable('unsupported_media_type', 'Photos must be JPEG, PNG or WebP.');
  if (!type.magic(data))
    throw unprocessable('unsupported_media_type', 'The file is not the image type it claims to be.');
  const relative = path.posix.join('samples', `${randomUUID()}.${type.ext}`);
  const target = path.join(deps.filesDir, relative);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.part`;
  await writeFile(temp, data);
  await rename(temp, target);
  const replaced: string[] = [];
  const result = await runStep(deps, actor, orderId, 'receive_sample', async (tx, { order }, _role, now) => {
    if (!PHOTO_STATES.includes(order.status)) {
      throw conflict('illegal_transition', `The order is ${order.status}; sample photos are taken on arrival.`);
    }
    const sample = await sampleOf(tx, order, sampleId);
    if (sample.status === 'rejected' && order.status !== 'awaiting_samples') {
      throw conflict('illegal_transition', 'This sample was rejected.');
    }
    await updateSample(tx, sample.id, { photoPath: relative });
    // The replaced photo is no longer served; it is removed after commit (best effort).
    if (sample.photoPath) replaced.push(sample.photoPath);
    await recordOrderEvent(
      tx,
      order,
      {
        actor: requireActor(actor),
        side: 'lab',
        action: 'sample.photo',
        data: { sampleId, code: sample.code, at: now.toISOString() },
      },
      now,
    );
  }).catch(async (error: unknown) => {
    await rm(target, { force: true });
    throw error;
  });
  for (const old of replaced) await rm(path.join(deps.filesDir, old), { force: true });
  return result;
}

/** The arrival photo, to the order's customer and lab only. */
export async function readSamplePhoto(
  deps: OrderDeps & { filesDir: string },
  actor: Actor | null,
  orderId: string,
  sampleId: string,
) {
  const access = await loadOrderFor(deps.db, actor, orderId);
  if (access.side !== 'customer' && access.side !== 'lab')
    throw forbidden('Sample photos are for the customer and the lab.');
  const sample = await findSample(deps.db, orderId, sampleId);
  if (!sample || !sample.photoPath) throw notFound('photo');
  const ext = path.extname(sample.photoPath).slice(1);
  const contentType = Object.entries(PHOTO_TYPES).find(([, t]) => t.ext === ext)?.[0] ?? 'application/octet-stream';
  const full = path.join(deps.filesDir, sample.photoPath);
  return { contentType, data: await readFile(full) };
}
