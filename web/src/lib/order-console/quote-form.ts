import { SERVICE_KINDS, type FieldErrors, type ServiceKind } from '$lib/types';
import { isIsoDate } from '$lib/time';
import { parsePrice } from './money-form';

/**
 * The quote editor → the body of `POST /v1/orders/{id}/quote`. Every line kept gets a unit price
 * (yuan typed, fen sent); ticked lines are withdrawn; new rows are added when anything in them is
 * filled; a validity date is required and may not lie in the past.
 */

type Form = Pick<FormData, 'get' | 'getAll'>;

function text(form: Form, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** Input names, shared with the page. */
export const quoteField = {
  price: (lineId: string) => `price-${lineId}`,
  quantity: (lineId: string) => `qty-${lineId}`,
  /** The scope item the line is placed under ('' = none chosen). */
  scope: (lineId: string) => `scope-${lineId}`,
  remove: 'remove',
  newRow: (i: number, part: NewRowPart) => `new-${i}-${part}`,
  rows: 'rows',
  validUntil: 'validUntil',
  notes: 'notes',
};
export const NEW_ROW_PARTS = [
  'service',
  'kind',
  'description',
  'parameter',
  'standard',
  'quantity',
  'unit',
  'scope',
  'price',
] as const;
export type NewRowPart = (typeof NEW_ROW_PARTS)[number];

/** At most this many new rows per submission (the API takes 50). */
export const MAX_NEW_ROWS = 20;

export interface QuoteLineInput {
  lineId: string;
  unitPriceFen: number;
  quantity?: number;
  /** Null clears the lab's choice; left out, the choice stays. */
  scopeItemId?: string | null;
}
export interface QuoteAddInput {
  serviceId?: string;
  kind?: ServiceKind;
  descriptionZh: string;
  parameterZh?: string;
  standardCode?: string;
  quantity: number;
  unit?: string;
  unitPriceFen: number;
  scopeItemId?: string;
}
export interface QuoteBodyInput {
  lines: QuoteLineInput[];
  addLines?: QuoteAddInput[];
  removeLineIds?: string[];
  validUntil: string;
  notes: string;
}

export interface QuoteParse {
  /** Everything as typed, to refill the form. */
  values: Record<string, string>;
  removed: string[];
  body: QuoteBodyInput | null;
  fieldErrors: FieldErrors;
}

export interface QuoteContext {
  /** The order's live lines (withdrawn ones are not priced again). */
  lineIds: readonly string[];
  /** The lab's services by id → a label for the description of a line picked from the catalogue. */
  services: Readonly<Record<string, { nameZh: string; kind: string }>>;
  today: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseQuantity(raw: string): number | null {
  if (!/^\d{1,6}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 100000 ? n : null;
}

export function parseQuoteForm(form: Form, ctx: QuoteContext): QuoteParse {
  const values: Record<string, string> = {};
  const fieldErrors: FieldErrors = {};
  const err = (field: string, code: string) => (fieldErrors[field] ??= { code, message: '' });
  const removed = form
    .getAll(quoteField.remove)
    .filter((v): v is string => typeof v === 'string' && ctx.lineIds.includes(v));

  // Ticked withdrawals are sent back too, so a refused form keeps them ticked.
  for (const id of removed) values[`${quoteField.remove}-${id}`] = 'on';
  const lines: QuoteLineInput[] = [];
  for (const id of ctx.lineIds) {
    const priceName = quoteField.price(id);
    const qtyName = quoteField.quantity(id);
    const scopeName = quoteField.scope(id);
    values[priceName] = text(form, priceName);
    values[qtyName] = text(form, qtyName);
    // The scope box is on the page only when the lab's scope was read: without it, the choice stays.
    const scopeShown = form.get(scopeName) !== null;
    if (scopeShown) values[scopeName] = text(form, scopeName);
    if (removed.includes(id)) continue;
    let scopeItemId: string | null | undefined;
    if (scopeShown) {
      if (values[scopeName] === '') scopeItemId = null;
      else if (UUID.test(values[scopeName]!)) scopeItemId = values[scopeName];
      else err(scopeName, 'invalid_value');
    }
    const price = parsePrice(values[priceName]);
    if (!price.ok) err(priceName, price.code);
    let quantity: number | undefined;
    if (values[qtyName] !== '') {
      const q = parseQuantity(values[qtyName]);
      if (q === null) err(qtyName, 'invalid_quantity');
      else quantity = q;
    }
    if (price.ok) {
      lines.push({
        lineId: id,
        unitPriceFen: price.fen,
        ...(quantity ? { quantity } : {}),
        ...(scopeItemId !== undefined ? { scopeItemId } : {}),
      });
    }
  }

  const rows = Math.min(MAX_NEW_ROWS, Math.max(0, Number(text(form, quoteField.rows)) || 0));
  values[quoteField.rows] = String(rows);
  const addLines: QuoteAddInput[] = [];
  for (let i = 0; i < rows; i++) {
    const v = Object.fromEntries(NEW_ROW_PARTS.map((p) => [p, text(form, quoteField.newRow(i, p))])) as Record<
      NewRowPart,
      string
    >;
    for (const p of NEW_ROW_PARTS) values[quoteField.newRow(i, p)] = v[p];
    // The kind select always has a value: a row counts as filled when anything else is.
    const filled = NEW_ROW_PARTS.some(
      (p) => p !== 'kind' && p !== 'quantity' && p !== 'unit' && p !== 'scope' && v[p] !== '',
    );
    if (!filled) continue;
    const service = v.service ? ctx.services[v.service] : undefined;
    if (v.service && !service) err(quoteField.newRow(i, 'service'), 'unknown_service');
    const description = v.description || service?.nameZh || '';
    if (!description) err(quoteField.newRow(i, 'description'), 'required');
    const quantity = v.quantity === '' ? 1 : parseQuantity(v.quantity);
    if (quantity === null) err(quoteField.newRow(i, 'quantity'), 'invalid_quantity');
    const price = parsePrice(v.price);
    if (!price.ok) err(quoteField.newRow(i, 'price'), price.code);
    const kind = (SERVICE_KINDS as readonly string[]).includes(v.kind) ? (v.kind as ServiceKind) : null;
    if (!service && !kind) err(quoteField.newRow(i, 'kind'), 'required');
    if (v.scope !== '' && !UUID.test(v.scope)) err(quoteField.newRow(i, 'scope'), 'invalid_value');
    if (description && quantity !== null && price.ok && (service || kind)) {
      addLines.push({
        ...(service ? { serviceId: v.service } : { kind: kind! }),
        descriptionZh: description.slice(0, 300),
        ...(v.parameter ? { parameterZh: v.parameter } : {}),
        ...(v.standard ? { standardCode: v.standard } : {}),
        quantity,
        ...(v.unit ? { unit: v.unit } : {}),
        ...(UUID.test(v.scope) ? { scopeItemId: v.scope } : {}),
        unitPriceFen: price.fen,
      });
    }
  }

  if (ctx.lineIds.length > 0 && removed.length === ctx.lineIds.length && addLines.length === 0) {
    err(quoteField.remove, 'last_line');
  }

  values.validUntil = text(form, quoteField.validUntil);
  if (!values.validUntil) err('validUntil', 'required');
  else if (!isIsoDate(values.validUntil)) err('validUntil', 'invalid_date');
  else if (values.validUntil < ctx.today) err('validUntil', 'date_in_past');
  values.notes = text(form, quoteField.notes);
  if (values.notes.length > 4000) err('notes', 'too_long');

  const ok = Object.keys(fieldErrors).length === 0;
  return {
    values,
    removed,
    fieldErrors,
    body: ok
      ? {
          lines,
          ...(addLines.length ? { addLines } : {}),
          ...(removed.length ? { removeLineIds: removed } : {}),
          validUntil: values.validUntil,
          notes: values.notes,
        }
      : null,
  };
}

/** Line total and quote subtotal in fen as the form shows them before sending (the API recomputes). */
export function lineAmountFen(unitPriceFen: number | null, quantity: number): number | null {
  return unitPriceFen === null ? null : unitPriceFen * quantity;
}
