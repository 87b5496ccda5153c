import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Db, DbOrTx, Order, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound, validationFailed } from '../../lib/errors.ts';
import { findOrganisationNames } from '../../lib/repository/organisation-names.ts';
import { loadOrderFor, type OrderAccess } from '../orders/index.ts';
import { recordOrderEvent } from '../orders/index.ts';
import { ALLOWED_EXTENSIONS } from './files.ts';
import { notifySide, preview } from './notify.ts';
import * as repo from './repository.ts';

export interface ConversationDeps {
  db: Db;
  clock: () => Date;
  filesDir: string;
  uploadMaxBytes: number;
}

/** A cancelled, closed or expired order stays open for messages this long, then becomes read-only. */
export const CONVERSATION_GRACE_DAYS = 30;

const TERMINAL_AT: Partial<Record<Order['status'], (o: Order) => Date | null>> = {
  closed: (o) => o.closedAt ?? o.updatedAt,
  cancelled: (o) => o.cancelledAt ?? o.updatedAt,
  expired: (o) => o.updatedAt,
};

export function conversationClosed(order: Order, now: Date): boolean {
  const endedAt = TERMINAL_AT[order.status]?.(order);
  if (!endedAt) return false;
  return now.getTime() - endedAt.getTime() > CONVERSATION_GRACE_DAYS * 24 * 3600_000;
}

/** The two parties of the conversation: members of the customer and of the lab. */
export function isParty(access: OrderAccess): access is OrderAccess & { side: 'customer' | 'lab' } {
  return access.side === 'customer' || access.side === 'lab';
}

/**
 * The conversation is between the customer and the lab only: anyone else who may otherwise see the
 * order (the enterprise's service officer, a platform admin) is told it does not exist (404).
 */
export function assertParty(access: OrderAccess): asserts access is OrderAccess & { side: 'customer' | 'lab' } {
  if (!isParty(access)) throw notFound('order');
}

/** Who may write: a person (not an API token) on the customer's or the lab's side. */
export function assertCanPost(actor: Actor, access: OrderAccess, now: Date): 'customer' | 'lab' {
  assertParty(access);
  if (!actor.userId) throw forbidden('Messages are written by people, not by API tokens.');
  if (conversationClosed(access.order, now)) {
    throw conflict(
      'conversation_closed',
      `The order ended more than ${CONVERSATION_GRACE_DAYS} days ago; its conversation is read-only.`,
    );
  }
  return access.side;
}

const attachmentUrl = (orderId: string, attachmentId: string) => `/v1/orders/${orderId}/attachments/${attachmentId}`;

function attachmentView(a: repo.AttachmentRow, downloadable: boolean) {
  return {
    id: a.id,
    fileName: a.fileName,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    downloadUrl: downloadable ? attachmentUrl(a.orderId, a.id) : null,
    createdAt: a.createdAt.toISOString(),
  };
}

/** Which messages to read: given ones (oldest first), or a page counted back from the newest. */
type Selection = { ids: string[] } | { limit: number; before?: { at: string; id: string } };

async function messageViews(db: DbOrTx, orderId: string, selection: Selection, downloadable: boolean) {
  const rows =
    'ids' in selection
      ? await repo.findMessagesByIds(db, orderId, selection.ids)
      : (
          await repo.findMessagesNewestFirst(db, orderId, { limit: selection.limit + 1, before: selection.before })
        ).reverse();
  // A page read one row more than it shows: that row (now the first) says an earlier page exists.
  const more = !('ids' in selection) && rows.length > selection.limit;
  const shown = more ? rows.slice(1) : rows;
  const files =
    shown.length === 0
      ? []
      : await repo.findAttachmentsOfMessages(
          db,
          orderId,
          shown.map((r) => r.m.id),
        );
  const items = shown.map(({ m, authorName }) => ({
    id: m.id,
    author: { id: m.authorUserId, name: authorName },
    side: m.authorSide as 'customer' | 'lab',
    body: m.body,
    attachments: files.filter((f) => f.messageId === m.id).map((f) => attachmentView(f, downloadable)),
    createdAt: m.createdAt.toISOString(),
  }));
  const oldest = shown[0];
  return { items, nextCursor: more && oldest ? encodeCursor(MESSAGES_CURSOR, oldest.at, oldest.m.id) : null };
}

const MESSAGES_CURSOR = 'messages';

/**
 * The conversation a page at a time: the newest `limit` messages first, each page oldest first
 * (as it reads), and `nextCursor` leading to the page of earlier messages.
 */
export async function listMessages(
  deps: ConversationDeps,
  actor: Actor | null,
  orderId: string,
  query: { limit?: number; cursor?: string } = {},
) {
  const a = requireActor(actor);
  const before = query.cursor ? decodeCursor(query.cursor, MESSAGES_CURSOR, 'timestamptz') : undefined;
  const access = await loadOrderFor(deps.db, a, orderId);
  assertParty(access);
  const closed = conversationClosed(access.order, deps.clock());
  const page = await messageViews(
    deps.db,
    orderId,
    { limit: query.limit ?? 20, before: before ? { at: String(before.key), id: before.id } : undefined },
    true,
  );
  return {
    ...page,
    canPost: !!a.userId && !closed,
    closed,
    maxFileBytes: deps.uploadMaxBytes,
    allowedExtensions: [...ALLOWED_EXTENSIONS],
  };
}

async function orgNames(tx: Tx, orgId: string) {
  const [row] = await findOrganisationNames(tx, [orgId]);
  return { zh: row?.nameZh ?? '', en: row?.nameEn || row?.nameZh || '' };
}

export interface NewAttachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** Relative to the files folder. */
  storagePath: string;
}

/**
 * Writes one message (and its attachment, if any) in the caller's transaction: the row, the order's
 * timeline entry (no message text in it) and a notification to each member of the other side.
 */
async function insertMessage(
  tx: Tx,
  actor: Actor,
  access: OrderAccess,
  side: 'customer' | 'lab',
  body: string,
  attachment: NewAttachment | null,
  now: Date,
) {
  const order = access.order;
  const message = await repo.insertOrderMessage(tx, {
    orderId: order.id,
    authorUserId: actor.userId!,
    authorSide: side,
    body,
    now,
  });
  if (attachment) {
    await repo.insertAttachment(tx, {
      id: attachment.id,
      orderId: order.id,
      messageId: message.id,
      uploadedBy: actor.userId!,
      fileName: attachment.fileName,
      contentType: attachment.contentType,
      sizeBytes: attachment.sizeBytes,
      sha256: attachment.sha256,
      storagePath: attachment.storagePath,
      createdAt: now,
    });
  }
  await recordOrderEvent(
    tx,
    order,
    {
      actor,
      side,
      action: 'message.posted',
      data: {
        messageId: message.id,
        ...(attachment ? { attachmentId: attachment.id, contentType: attachment.contentType } : {}),
      },
    },
    now,
  );
  const from = await orgNames(tx, side === 'customer' ? order.customerOrgId : order.labId);
  const text = body ? preview(body) : attachment ? `📎 ${attachment.fileName}` : '';
  await notifySide(tx, order, side === 'customer' ? 'lab' : 'customer', actor.userId, `order-message:${message.id}`, {
    at: now,
    kind: 'order_message',
    titleZh: `订单 ${order.number} 有新消息`,
    titleEn: `New message on order ${order.number}`,
    bodyZh: `${from.zh}：${text}`,
    bodyEn: `${from.en}: ${text}`,
  });
  return message;
}

export async function postMessage(
  deps: ConversationDeps,
  actor: Actor | null,
  orderId: string,
  input: { body: string },
) {
  const a = requireActor(actor);
  const body = input.body.trim();
  const now = deps.clock();
  const message = await deps.db.transaction(async (tx) => {
    const access = await loadOrderFor(tx, a, orderId);
    const side = assertCanPost(a, access, now);
    if (!body) {
      throw validationFailed([{ path: '/body', code: 'too_short', message: 'A message needs some text.' }]);
    }
    return insertMessage(tx, a, access, side, body, null, now);
  });
  const {
    items: [view],
  } = await messageViews(deps.db, orderId, { ids: [message.id] }, true);
  return view!;
}

/** Checks before the upload is read: the caller may post here (404 / 403 / 409 otherwise). */
export async function assertMayUpload(deps: ConversationDeps, actor: Actor | null, orderId: string) {
  const a = requireActor(actor);
  const access = await loadOrderFor(deps.db, a, orderId);
  assertCanPost(a, access, deps.clock());
}

/**
 * Files the uploaded file (already on disk at `tempPath`, checked) under
 * `attachments/<order>/<attachment id>` and records the message, in one transaction: the rename
 * happens inside it, and the file is removed again if the transaction fails.
 */
export async function postAttachment(
  deps: ConversationDeps,
  actor: Actor | null,
  orderId: string,
  input: { body: string; tempPath: string; attachment: Omit<NewAttachment, 'storagePath'> },
) {
  const a = requireActor(actor);
  const now = deps.clock();
  const storagePath = path.posix.join('attachments', orderId, input.attachment.id);
  const finalPath = path.join(deps.filesDir, storagePath);
  let moved = false;
  try {
    const message = await deps.db.transaction(async (tx) => {
      const access = await loadOrderFor(tx, a, orderId);
      const side = assertCanPost(a, access, now);
      const row = await insertMessage(
        tx,
        a,
        access,
        side,
        input.body.trim(),
        { ...input.attachment, storagePath },
        now,
      );
      await mkdir(path.dirname(finalPath), { recursive: true });
      await rename(input.tempPath, finalPath);
      moved = true;
      return row;
    });
    const {
      items: [view],
    } = await messageViews(deps.db, orderId, { ids: [message.id] }, true);
    return view!;
  } catch (error) {
    await unlink(moved ? finalPath : input.tempPath).catch(() => {});
    throw error;
  }
}

/** The stored file of an attachment, for the customer and the lab only (404 to everyone else). */
export async function attachmentFile(
  deps: ConversationDeps,
  actor: Actor | null,
  orderId: string,
  attachmentId: string,
) {
  const a = requireActor(actor);
  const access = await loadOrderFor(deps.db, a, orderId);
  if (!isParty(access)) throw notFound('attachment');
  const row = await repo.findAttachment(deps.db, orderId, attachmentId);
  if (!row) throw notFound('attachment');
  const root = path.resolve(deps.filesDir);
  const full = path.resolve(root, row.storagePath);
  if (!full.startsWith(root + path.sep)) throw notFound('attachment');
  return { row, full };
}
