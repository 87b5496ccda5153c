import { Type, type Static } from 'typebox';
import { DateTime, Nullable, Uuid } from '../../lib/schema.ts';

/** Where an order's commission form (委托单) stands: printable once accepted, and its signed scan. */
export const CommissionFormOut = Type.Object(
  {
    orderId: Uuid,
    orderNumber: Type.String(),
    /** The customer filled in the form when accepting the quote: the PDF can be printed. */
    printable: Type.Boolean(),
    /** The caller may attach (or replace) the signed scan: the lab's managers and staff, once printable. */
    mayAttachScan: Type.Boolean(),
    /** The signed and stamped copy, as the lab scanned it; null until attached. */
    scan: Nullable(
      Type.Object({
        fileName: Type.String(),
        /** application/pdf, image/jpeg or image/png, as its content showed. */
        contentType: Type.String(),
        sizeBytes: Type.Integer(),
        sha256: Type.String(),
        uploadedAt: DateTime,
        /** Null when a lab's API token uploaded it. */
        uploadedBy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
      }),
    ),
  },
  { $id: 'CommissionFormState' },
);
export type CommissionFormOutT = Static<typeof CommissionFormOut>;

export const ScanUpload = Type.Union([
  Type.Object({ file: Type.String({ format: 'binary', description: 'PDF, JPEG or PNG, at most 10 MiB' }) }),
  Type.Null(),
]);
