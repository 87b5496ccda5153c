import type { Db, Service } from '@qihub/db';
import {
  assertCanEditLabCatalogue,
  canSeeCatalogueEntry,
  isLabMember,
  requireActor,
  type Actor,
} from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound, validationFailed, type FieldError } from '../../lib/errors.ts';
import { moneyOrNull } from '../../lib/money.ts';
import { localDate } from '../../lib/time.ts';
import { queryWords } from '../../lib/catalogue-query.ts';
import { assertPriceRange, placesOut, queryFields, readQuery, suggestChanges } from '../../lib/catalogue-search.ts';
import { decodeSortCursor, type SortOrder } from '../../lib/repository/catalogue-search.ts';
import { effectiveSort } from '../instruments/index.ts';
import { findLab, qualificationsOf } from '../labs/index.ts';
import * as repo from './repository.ts';
import type { LabServiceQuery, ServiceCreate, ServicePatch, ServiceQuery } from './schema.ts';

export interface ServiceDeps {
  db: Db;
  clock: () => Date;
}

export function toServiceSummary(row: repo.ServiceRow) {
  return {
    id: row.id,
    kind: row.kind,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    descriptionZh: row.descriptionZh,
    descriptionEn: row.descriptionEn,
    standardMethods: row.standardMethods,
    priceModel: row.priceModel,
    price: moneyOrNull(row.priceAmount, row.currency),
    turnaroundDays: row.turnaroundDays,
    status: row.status,
    lab: {
      id: row.labId,
      nameZh: row.labZh,
      nameEn: row.labEn,
      regionCode: row.labRegion,
      cityZh: row.cityZh,
      cityEn: row.cityEn,
    },
    qualifications: row.qualifications as ('cma' | 'cnas')[],
  };
}

export async function searchServiceCatalogue(deps: ServiceDeps, query: ServiceQuery) {
  const sort = effectiveSort(query.sort as SortOrder | undefined, query.q);
  const limit = query.limit ?? 20;
  assertPriceRange(query);
  // Services name their standards in their own text: a standard number is matched as plain words.
  const parsed = await readQuery(deps.db, query.q);
  const cursor = decodeSortCursor(query.cursor, sort, parsed.terms);
  const today = localDate(deps.clock());
  const filters = {
    region: query.region,
    kind: query.kind,
    lab: query.lab,
    qualification: query.qualification,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
  };
  const counted = (p: typeof parsed, f: typeof filters): repo.ServiceCount => ({
    ...f,
    ...queryFields(p),
    statuses: ['active'],
    today,
  });
  const [rows, total] = await Promise.all([
    repo.searchServices(deps.db, { ...counted(parsed, filters), sort, limit, cursor }),
    repo.countServices(deps.db, counted(parsed, filters)),
  ]);
  const suggestions =
    total === 0 && !cursor
      ? await suggestChanges(deps.db, {
          q: query.q ?? '',
          parsed,
          filters,
          count: (p, f) => repo.countServices(deps.db, counted(p, f)),
          byCity: (p, f) => repo.countServicesByCity(deps.db, counted(p, f), 4),
        })
      : [];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const key = last?.sortKey instanceof Date ? last.sortKey.toISOString() : (last?.sortKey ?? null);
  return {
    items: items.map(toServiceSummary),
    nextCursor: rows.length > limit && last ? encodeCursor(sort, key, last.id) : null,
    total,
    places: placesOut(parsed),
    suggestions,
  };
}

/** The lab's own services in every status, retired ones included (members of the lab). */
export async function listLabServices(deps: ServiceDeps, actor: Actor | null, labId: string, query: LabServiceQuery) {
  const a = requireActor(actor);
  if (!isLabMember(a, labId)) throw forbidden('Only members of this lab can see its console list.');
  const limit = query.limit ?? 50;
  const rows = await repo.searchServices(deps.db, {
    terms: queryWords(query.q),
    lab: labId,
    statuses: query.status ? [query.status] : ['active', 'retired'],
    sort: 'name',
    limit,
    cursor: decodeSortCursor(query.cursor, 'name', []),
    today: localDate(deps.clock()),
    includeInactiveLabs: true,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const key = last?.sortKey instanceof Date ? last.sortKey.toISOString() : (last?.sortKey ?? null);
  return {
    items: items.map(toServiceSummary),
    nextCursor: rows.length > limit && last ? encodeCursor('name', key, last.id) : null,
  };
}

export async function getService(deps: ServiceDeps, actor: Actor | null, id: string) {
  const today = localDate(deps.clock());
  const row = await repo.findServiceRow(deps.db, id, today);
  if (!row || !canSeeCatalogueEntry(actor, row)) throw notFound('service');
  const [used, quals] = await Promise.all([
    repo.instrumentsOfService(deps.db, id),
    qualificationsOf(deps.db, row.labId, today),
  ]);
  return {
    ...toServiceSummary(row),
    instruments: used,
    labQualifications: quals.map(({ id: _id, ...q }) => q),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Price and model must agree: "on quote" has no price, every other model has one. */
function checkPrice(model: string, amount: number | null | undefined): FieldError[] {
  if (model === 'on_quote' && amount !== null && amount !== undefined) {
    return [
      { path: '/priceAmount', code: 'price_not_allowed', message: 'A service priced on quote has no list price.' },
    ];
  }
  if (model !== 'on_quote' && (amount === null || amount === undefined)) {
    return [{ path: '/priceAmount', code: 'required', message: 'Give a price for this price model.' }];
  }
  return [];
}

async function checkInstruments(deps: ServiceDeps, labId: string, ids: string[] | undefined): Promise<FieldError[]> {
  if (!ids || ids.length === 0) return [];
  const own = new Set(await repo.instrumentsOfLab(deps.db, labId, ids));
  return ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !own.has(id))
    .map(({ i }) => ({
      path: `/instrumentIds/${i}`,
      code: 'unknown_instrument',
      message: 'Not an instrument of this lab.',
    }));
}

const auditView = ({ searchText: _s, ...rest }: Service) => rest;

export async function createService(
  deps: ServiceDeps,
  actor: Actor | null,
  labId: string,
  input: ServiceCreate,
  requestId?: string,
) {
  const a = assertCanEditLabCatalogue(actor, labId);
  if (!(await findLab(deps.db, labId))) throw notFound('lab');
  const errors = [
    ...checkPrice(input.priceModel, input.priceAmount),
    ...(await checkInstruments(deps, labId, input.instrumentIds)),
  ];
  if (errors.length) throw validationFailed(errors);
  const id = await deps.db.transaction(async (tx) => {
    const { instrumentIds, ...values } = input;
    const row = await repo.insertService(tx, { ...values, labId });
    await repo.setServiceInstruments(tx, row.id, instrumentIds ?? []);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'service.created',
      entityType: 'service',
      entityId: row.id,
      orgId: labId,
      after: { ...auditView(row), instrumentIds: instrumentIds ?? [] },
      requestId,
    });
    return row.id;
  });
  return getService(deps, a, id);
}

export async function updateService(
  deps: ServiceDeps,
  actor: Actor | null,
  id: string,
  patch: ServicePatch,
  requestId?: string,
) {
  const existing = await repo.findService(deps.db, id);
  if (!existing || (existing.status === 'retired' && !isLabMember(actor, existing.labId))) throw notFound('service');
  const a = assertCanEditLabCatalogue(actor, existing.labId);
  const instrumentErrors = await checkInstruments(deps, existing.labId, patch.instrumentIds);
  if (instrumentErrors.length) throw validationFailed(instrumentErrors);
  await deps.db.transaction(async (tx) => {
    const before = await repo.findService(tx, id, true);
    if (!before) throw notFound('service');
    if (before.status === 'retired') throw conflict('service_retired', 'A retired service cannot be edited.');
    // Checked against the locked row, so two concurrent edits cannot combine into a bad price.
    if (patch.priceModel !== undefined || patch.priceAmount !== undefined) {
      const model = patch.priceModel ?? before.priceModel;
      const amount = patch.priceAmount !== undefined ? patch.priceAmount : before.priceAmount;
      const priceErrors = checkPrice(model, amount);
      if (priceErrors.length) throw validationFailed(priceErrors);
    }
    const { instrumentIds, ...values } = patch;
    const beforeInstruments = (await repo.instrumentsOfService(tx, id)).map((i) => i.id);
    const after = await repo.updateService(tx, id, { ...values, updatedAt: deps.clock() });
    if (instrumentIds) await repo.setServiceInstruments(tx, id, instrumentIds);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'service.updated',
      entityType: 'service',
      entityId: id,
      orgId: before.labId,
      before: { ...auditView(before), instrumentIds: beforeInstruments },
      after: { ...auditView(after), instrumentIds: instrumentIds ?? beforeInstruments },
      requestId,
    });
  });
  return getService(deps, a, id);
}

export async function retireService(deps: ServiceDeps, actor: Actor | null, id: string, requestId?: string) {
  const existing = await repo.findService(deps.db, id);
  if (!existing || (existing.status === 'retired' && !isLabMember(actor, existing.labId))) throw notFound('service');
  const a = assertCanEditLabCatalogue(actor, existing.labId);
  await deps.db.transaction(async (tx) => {
    const before = await repo.findService(tx, id, true);
    if (!before || before.status === 'retired') return;
    const now = deps.clock();
    const after = await repo.updateService(tx, id, { status: 'retired', retiredAt: now, updatedAt: now });
    await recordAudit(tx, a, {
      at: now,
      action: 'service.retired',
      entityType: 'service',
      entityId: id,
      orgId: before.labId,
      before: auditView(before),
      after: auditView(after),
      requestId,
    });
  });
  return getService(deps, a, id);
}
