import { AppError, notFound } from '../../lib/errors.ts';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import type { PaymentDeps } from './deps.ts';
import { InvalidSignature, type ProviderEvent } from './port.ts';
import * as repo from './repository.ts';

/** The job that processes one stored event (jobs.ts). */
export const PROCESS_EVENT = 'payments.process-event';

/**
 * Stores a verified event once by its id and queues its processing in the same transaction
 * (outbox): the webhook answers 2xx at once and the work happens in a job, which re-reads the
 * object from the processor. A repeat delivery, or the sweep finding it again, changes nothing.
 */
export async function storeEvent(deps: Pick<PaymentDeps, 'db' | 'clock'>, e: ProviderEvent, via: 'webhook' | 'sweep') {
  return deps.db.transaction(async (tx) => {
    const fresh = await repo.insertEvent(tx, {
      id: e.id,
      type: e.type,
      account: e.account,
      objectId: e.objectId,
      objectType: e.objectType,
      createdAt: e.created,
      payload: e.payload,
      via,
      receivedAt: deps.clock(),
    });
    if (fresh) await enqueueAfterCommit(tx, PROCESS_EVENT, { eventId: e.id }, `${PROCESS_EVENT}:${e.id}`);
    return fresh;
  });
}

/** `POST /v1/webhooks/stripe`: verify the signature on the raw body, store, acknowledge. */
export async function receiveWebhook(deps: PaymentDeps, raw: Buffer, signature: string | undefined) {
  if (!deps.provider) throw notFound('webhook endpoint');
  let event: ProviderEvent;
  try {
    event = deps.provider.verifyWebhook(raw, signature);
  } catch (error) {
    if (error instanceof InvalidSignature) {
      throw new AppError(400, 'webhook_signature_invalid', 'The webhook signature does not verify.');
    }
    throw error;
  }
  await storeEvent(deps, event, 'webhook');
  return { received: true as const };
}
