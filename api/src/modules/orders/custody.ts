import type { CustodyStep, Order, OrderSample, SampleCustodyEntry, Tx, DbOrTx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, forbidden, notFound, validationFailed, type FieldError } from '../../lib/errors.ts';
import { loadOrderFor } from './access.ts';
import {
  CUSTODY_FROM,
  CUSTODY_STEPS,
  custodyRefusal,
  foldCustody,
  leftoversDue,
  TESTING_STATES,
  type CustodyFact,
} from './custody-rules.ts';
import type { CustodyEntryCreate, OrderCustody } from './custody-schema.ts';
import type { OrderDeps } from './deps.ts';
import { notifySide } from './notify.ts';
import { custodyOfOrder, custodyOfSample, insertCustodyEntries } from './repository/custody.ts';
import { findOpenObjection } from './repository/objections.ts';
import { findSample, samplesOfOrder, updateSample } from './repository/samples.ts';
import { recordOrderEvent } from './transition.ts';

const blank = (s: string | undefined) => (s ?? '').trim() === '';
const clean = (s: string | undefined) => (blank(s) ? null : s!.trim());

/** The receipt's entry in the log (written by the sample receipt, in its transaction). */
export async function logReceipt(tx: Tx, sample: OrderSample, userId: string | null, location: string, now: Date) {
  await insertCustodyEntries(tx, [
    {
      sampleId: sample.id,
      orderId: sample.orderId,
      step: 'received',
      at: now,
      actorUserId: userId,
      location: clean(location),
    },
  ]);
}

/** The end of custody for the samples a cancellation sends back or disposes of. */
export async function logCancellation(
  tx: Tx,
  orderId: string,
  sampleIds: readonly string[],
  disposition: 'returned' | 'disposed',
  userId: string | null,
  now: Date,
) {
  await insertCustodyEntries(
    tx,
    sampleIds.map((sampleId) => ({
      sampleId,
      orderId,
      step: disposition,
      at: now,
      actorUserId: userId,
      cause: 'cancellation',
    })),
  );
}

/** Required fields per step, as field errors (400 validation_failed). */
function missingFields(input: CustodyEntryCreate): FieldError[] {
  const need = (path: string, ok: boolean): FieldError[] =>
    ok ? [] : [{ path: `/body/${path}`, code: 'required', message: `${path} is required for this step.` }];
  switch (input.step) {
    case 'stored':
    case 'back':
      return need('location', !blank(input.location));
    case 'taken':
      return need('takenBy', !blank(input.takenBy));
    case 'returned':
      if (!input.method) return need('method', false);
      return input.method === 'courier'
        ? [...need('courier', !blank(input.courier)), ...need('trackingNumber', !blank(input.trackingNumber))]
        : need('collectedBy', !blank(input.collectedBy));
    case 'disposed':
      return [];
  }
}

/**
 * Records one handover of a sample (the lab's managers and staff; operators may take a sample for
 * testing and bring it back). The sample row is locked, so two racing steps are decided one after
 * the other against the log. 409 `illegal_custody_step` when the sample's state does not allow
 * the step, `samples_not_due` for a return or disposal before the objection window has closed.
 */
export async function recordCustody(
  deps: OrderDeps,
  actor: Actor | null,
  orderId: string,
  sampleId: string,
  input: CustodyEntryCreate,
): Promise<OrderCustody> {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const { order, side, role } = await loadOrderFor(tx, a, orderId, { forUpdate: true });
    if (side !== 'lab' || !role) throw forbidden('Only the lab records sample custody.');
    const handling = input.step === 'taken' || input.step === 'back';
    if (role !== 'manager' && role !== 'staff' && !(role === 'operator' && handling)) {
      throw forbidden("Only the lab's managers and staff may do this.");
    }
    const sample = await findSample(tx, order.id, sampleId, { forUpdate: true });
    if (!sample) throw notFound('sample');
    const missing = missingFields(input);
    if (missing.length > 0) throw validationFailed(missing);
    const now = deps.clock();
    const view = foldCustody(startOf(sample), (await custodyOfSample(tx, order.id, sample.id)).map(factOf));
    const refusal = custodyRefusal(view, input.step);
    if (refusal) throw conflict('illegal_custody_step', refusal);
    if (input.step === 'taken' && !TESTING_STATES.includes(order.status)) {
      throw conflict(
        'illegal_custody_step',
        `The order is ${order.status}; samples are taken for testing while work runs.`,
      );
    }
    const leaving = input.step === 'returned' || input.step === 'disposed';
    if (leaving && !leftoversDue(order, (await findOpenObjection(tx, order.id)) !== undefined, now)) {
      throw conflict('samples_not_due', 'Samples are kept until the report is out and its objection period has ended.');
    }
    const [entry] = await insertCustodyEntries(tx, [
      {
        sampleId: sample.id,
        orderId: order.id,
        step: input.step,
        at: now,
        actorUserId: a.userId,
        location: input.step === 'stored' || input.step === 'back' ? clean(input.location) : null,
        takenBy: input.step === 'taken' ? clean(input.takenBy) : null,
        returnMethod: input.step === 'returned' ? input.method : null,
        courier: input.step === 'returned' && input.method === 'courier' ? clean(input.courier) : null,
        trackingNumber: input.step === 'returned' && input.method === 'courier' ? clean(input.trackingNumber) : null,
        collectedBy: input.step === 'returned' && input.method === 'in_person' ? clean(input.collectedBy) : null,
        note: (input.note ?? '').trim(),
      },
    ]);
    // The sample row keeps its summary in step with the log (the order page and the cancellation read it).
    if (entry!.location) await updateSample(tx, sample.id, { storageLocation: entry!.location });
    if (leaving)
      await updateSample(tx, sample.id, { status: input.step as 'returned' | 'disposed', dispositionAt: now });
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'lab',
        action: `sample.${input.step}`,
        data: { sampleId, code: sample.code, entryId: entry!.id },
      },
      now,
    );
    if (leaving) await tellCustomer(tx, order, sample, entry!);
    return custodyOf(tx, order, now);
  });
}

async function tellCustomer(tx: Tx, order: Order, sample: OrderSample, entry: SampleCustodyEntry) {
  const returned = entry.step === 'returned';
  const how =
    entry.returnMethod === 'courier'
      ? {
          zh: `已由${entry.courier}寄出，运单号 ${entry.trackingNumber}。`,
          en: `Sent by ${entry.courier}, tracking number ${entry.trackingNumber}.`,
        }
      : entry.returnMethod === 'in_person'
        ? { zh: `已由 ${entry.collectedBy} 当面取回。`, en: `Collected in person by ${entry.collectedBy}.` }
        : {
            zh: '按委托单约定，实验室已处置剩余样品。',
            en: 'The lab disposed of the leftover sample, as the commission form said.',
          };
  await notifySide(tx, order, 'customer', {
    at: entry.at,
    kind: returned ? 'sample_returned' : 'sample_disposed',
    occurrence: sample.id,
    titleZh: returned ? `样品 ${sample.code} 已退还` : `样品 ${sample.code} 已处置`,
    titleEn: returned ? `Sample ${sample.code} returned` : `Sample ${sample.code} disposed of`,
    bodyZh: how.zh,
    bodyEn: how.en,
  });
}

/** The custody log of an order and each sample's state, to everyone who may read the order. */
export async function orderCustody(deps: OrderDeps, actor: Actor | null, orderId: string): Promise<OrderCustody> {
  const { order } = await loadOrderFor(deps.db, actor, orderId);
  return custodyOf(deps.db, order, deps.clock());
}

const startOf = (sample: OrderSample) => (sample.status === 'rejected' ? 'rejected' : 'expected');
const factOf = (e: SampleCustodyEntry): CustodyFact => ({ step: e.step, location: e.location, takenBy: e.takenBy });

async function custodyOf(db: DbOrTx, order: Order, now: Date): Promise<OrderCustody> {
  const [samples, log, open] = await Promise.all([
    samplesOfOrder(db, order.id),
    custodyOfOrder(db, order.id),
    findOpenObjection(db, order.id),
  ]);
  const codes = new Map(samples.map((s) => [s.id, s.code]));
  return {
    orderId: order.id,
    leftoverSamples: order.commission?.leftoverSamples ?? null,
    leftoversDue: leftoversDue(order, open !== undefined, now),
    samples: samples.map((s) => {
      const view = foldCustody(
        startOf(s),
        log.filter((l) => l.entry.sampleId === s.id).map((l) => factOf(l.entry)),
      );
      return {
        id: s.id,
        code: s.code,
        nameZh: s.nameZh,
        state: view.state,
        location: view.location,
        holder: view.holder,
        next: CUSTODY_STEPS.filter(
          (step: CustodyStep) => step !== 'received' && CUSTODY_FROM[step].includes(view.state),
        ),
      };
    }),
    entries: log.map(({ entry: e, actorName }) => ({
      id: e.id,
      sampleId: e.sampleId,
      sampleCode: codes.get(e.sampleId) ?? '',
      step: e.step,
      at: e.at.toISOString(),
      actorName,
      location: e.location,
      takenBy: e.takenBy,
      returnMethod: e.returnMethod === 'courier' || e.returnMethod === 'in_person' ? e.returnMethod : null,
      courier: e.courier,
      trackingNumber: e.trackingNumber,
      collectedBy: e.collectedBy,
      cause: e.cause,
      note: e.note,
    })),
  };
}
