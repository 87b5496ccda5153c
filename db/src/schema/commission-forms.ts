import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orders } from './orders.ts';
import { users } from './orgs.ts';

/**
 * The signed and stamped (签字盖章) commission form of an order, as the lab scanned it: one per order,
 * replaced by a later upload. The file lies under FILES_DIR at `commission-forms/<order>/<file id>`;
 * PDF, JPEG or PNG, checked by content when it arrived.
 */
export const orderCommissionScans = pgTable(
  'order_commission_scans',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id, { onDelete: 'cascade' }),
    filePath: text('file_path').notNull(),
    fileName: text('file_name').notNull(),
    fileType: text('file_type').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileSizeBytes: integer('file_size_bytes').notNull(),
    /** Null when a lab's API token uploaded it. */
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('order_commission_scans_type', sql`${t.fileType} IN ('application/pdf', 'image/jpeg', 'image/png')`),
    check('order_commission_scans_size', sql`${t.fileSizeBytes} > 0`),
  ],
);
export type OrderCommissionScan = typeof orderCommissionScans.$inferSelect;
