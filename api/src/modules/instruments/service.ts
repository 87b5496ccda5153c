import type { Db, DbOrTx, Instrument } from '@qihub/db';
import { findLab, qualificationsOf } from '../labs/index.ts';
import {
  assertCanEditLabCatalogue,
  canSeeCatalogueEntry,
  isLabMember,
  requireActor,
  type Actor,
} from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { encodeCursor, type CursorKey } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound, validationFailed, type FieldError } from '../../lib/errors.ts';
import { moneyOrNull } from '../../lib/money.ts';
import { localDate } from '../../lib/time.ts';
import { queryWords } from '../../lib/catalogue-query.ts';
import { assertPriceRange, placesOut, queryFields, readQuery, suggestChanges } from '../../lib/catalogue-search.ts';
import { decodeSortCursor, type SortOrder } from '../../lib/repository/catalogue-search.ts';
import { photoOut } from './photo-files.ts';
import * as repo from './repository.ts';
import type { InstrumentCreate, InstrumentPatch, InstrumentQuery } from './schema.ts';

export interface CatalogueDeps {
  db: Db;
  clock: () => Date;
}

export function toSummary(row: repo.InstrumentRow) {
  return {
    id: row.id,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    model: row.model,
    manufacturer: row.manufacturer,
    status: row.status,
    photoUrl: row.photoUrl,
    photo: photoOut(row.id, row.photo),
    unitCount: row.unitCount,
    category: { code: row.categoryCode, nameZh: row.categoryZh, nameEn: row.categoryEn },
    lab: { id: row.labId, nameZh: row.labZh, nameEn: row.labEn },
    site: {
      id: row.siteId,
      nameZh: row.siteZh,
      nameEn: row.siteEn,
      regionCode: row.siteRegion,
      cityZh: row.cityZh,
      cityEn: row.cityEn,
      timeZone: row.timeZone,
    },
    rates: {
      internalHour: moneyOrNull(row.internalRateHour, row.currency),
      externalHour: moneyOrNull(row.externalRateHour, row.currency),
      internalSample: moneyOrNull(row.internalRateSample, row.currency),
      externalSample: moneyOrNull(row.externalRateSample, row.currency),
    },
    qualifications: row.qualifications as ('cma' | 'cnas')[],
  };
}

function page(rows: repo.InstrumentRow[], limit: number, sort: string) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(sort, normaliseKey(last.sortKey), last.id) : null;
  return { items: items.map(toSummary), nextCursor };
}

function normaliseKey(key: CursorKey | Date): CursorKey {
  return key instanceof Date ? key.toISOString() : key;
}

export function effectiveSort(sort: SortOrder | undefined, q: string | undefined): SortOrder {
  return sort ?? (q && q.trim() ? 'relevance' : 'name');
}

/** Public catalogue: instruments of admitted labs that are not retired. */
export async function searchCatalogue(deps: CatalogueDeps, query: InstrumentQuery) {
  const sort = effectiveSort(query.sort as SortOrder | undefined, query.q);
  const limit = query.limit ?? 20;
  assertPriceRange(query);
  const parsed = await readQuery(deps.db, query.q);
  const cursor = decodeSortCursor(query.cursor, sort, parsed.terms);
  const today = localDate(deps.clock());
  const filters = {
    region: query.region,
    category: query.category,
    lab: query.lab,
    qualification: query.qualification,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
  };
  const counted = (p: typeof parsed, f: typeof filters): repo.InstrumentCount => ({
    ...f,
    ...queryFields(p),
    statuses: ['active', 'maintenance'],
    today,
  });
  const [rows, total] = await Promise.all([
    repo.searchInstruments(deps.db, { ...counted(parsed, filters), sort, limit, cursor }),
    repo.countInstruments(deps.db, counted(parsed, filters)),
  ]);
  const suggestions =
    total === 0 && !cursor
      ? await suggestChanges(deps.db, {
          q: query.q ?? '',
          parsed,
          filters,
          count: (p, f) => repo.countInstruments(deps.db, counted(p, f)),
          byCity: (p, f) => repo.countInstrumentsByCity(deps.db, counted(p, f), 4),
        })
      : [];
  return { ...page(rows, limit, sort), total, places: placesOut(parsed), suggestions };
}

/** A lab's own list for its console: every status, including retired; members only. */
export async function listLabInstruments(
  deps: CatalogueDeps,
  actor: Actor | null,
  labId: string,
  query: { status?: 'active' | 'maintenance' | 'retired'; q?: string; limit?: number; cursor?: string },
) {
  const a = requireActor(actor);
  if (!isLabMember(a, labId)) throw forbidden('Only members of this lab can see its console list.');
  const limit = query.limit ?? 50;
  const rows = await repo.searchInstruments(deps.db, {
    lab: labId,
    statuses: query.status ? [query.status] : ['active', 'maintenance', 'retired'],
    sort: 'name',
    limit,
    terms: queryWords(query.q),
    cursor: decodeSortCursor(query.cursor, 'name', []),
    today: localDate(deps.clock()),
    includeInactiveLabs: true,
  });
  return page(rows, limit, 'name');
}

export async function getInstrument(deps: CatalogueDeps, actor: Actor | null, id: string) {
  const today = localDate(deps.clock());
  const row = await repo.findInstrumentDetail(deps.db, id, today);
  if (!row || !canSeeCatalogueEntry(actor, row)) throw notFound('instrument');
  const [quals, used] = await Promise.all([
    qualificationsOf(deps.db, row.labId, today),
    repo.servicesUsingInstrument(deps.db, id),
  ]);
  return {
    ...toSummary(row),
    techniques: row.techniques,
    specs: row.specs,
    descriptionZh: row.descriptionZh,
    descriptionEn: row.descriptionEn,
    siteAddress: { addressZh: row.addressZh, addressEn: row.addressEn },
    labQualifications: quals.map(({ id: _id, ...q }) => q),
    services: used,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** References inside the body must belong to the lab and exist; reported as field errors. */
async function checkReferences(deps: CatalogueDeps, labId: string, input: { siteId?: string; categoryCode?: string }) {
  const errors: FieldError[] = [];
  if (input.siteId !== undefined && !(await repo.siteOfLab(deps.db, input.siteId, labId))) {
    errors.push({ path: '/siteId', code: 'unknown_site', message: 'This site does not belong to the lab.' });
  }
  if (input.categoryCode !== undefined && !(await repo.categoryExists(deps.db, input.categoryCode))) {
    errors.push({ path: '/categoryCode', code: 'unknown_category', message: 'Unknown instrument category.' });
  }
  if (errors.length) throw validationFailed(errors);
}

function ratesToColumns(rates: InstrumentCreate['rates'] | undefined) {
  if (!rates) return {};
  return {
    internalRateHour: rates.internalHour,
    externalRateHour: rates.externalHour,
    internalRateSample: rates.internalSample,
    externalRateSample: rates.externalSample,
  };
}

/** Auditable view of an instrument row (timestamps as ISO, search text left out). */
function auditView(row: Instrument) {
  const { searchText: _searchText, ...rest } = row;
  return rest;
}

export async function createInstrument(
  deps: CatalogueDeps,
  actor: Actor | null,
  labId: string,
  input: InstrumentCreate,
  requestId?: string,
) {
  // Permission first: a stranger learns nothing about which lab ids exist.
  const a = assertCanEditLabCatalogue(actor, labId);
  if (!(await findLab(deps.db, labId))) throw notFound('lab');
  await checkReferences(deps, labId, input);
  const id = await deps.db.transaction(async (tx) => {
    const { rates, ...rest } = input;
    const row = await repo.insertInstrument(tx, { ...rest, ...ratesToColumns(rates), labId });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'instrument.created',
      entityType: 'instrument',
      entityId: row.id,
      orgId: labId,
      after: auditView(row),
      requestId,
    });
    return row.id;
  });
  return getInstrument(deps, a, id);
}

export async function updateInstrument(
  deps: CatalogueDeps,
  actor: Actor | null,
  id: string,
  patch: InstrumentPatch,
  requestId?: string,
) {
  const { existing, a } = await editableInstrument(deps, actor, id);
  await checkReferences(deps, existing.labId, patch);
  await deps.db.transaction(async (tx) => {
    // Lock the row so two concurrent edits produce two honest before/after pairs.
    const before = await repo.lockInstrument(tx, id);
    if (!before) throw notFound('instrument');
    if (before.status === 'retired') {
      throw conflict('instrument_retired', 'A retired instrument cannot be edited.');
    }
    const { rates, ...rest } = patch;
    await updateAudited(
      tx,
      a,
      'instrument.updated',
      before,
      { ...rest, ...ratesToColumns(rates), updatedAt: deps.clock() },
      requestId,
    );
  });
  return getInstrument(deps, a, id);
}

/** Retiring removes the instrument from the catalogue; the row stays for history and reports. */
export async function retireInstrument(deps: CatalogueDeps, actor: Actor | null, id: string, requestId?: string) {
  const { a } = await editableInstrument(deps, actor, id);
  await deps.db.transaction(async (tx) => {
    const before = await repo.lockInstrument(tx, id);
    if (!before || before.status === 'retired') return;
    const now = deps.clock();
    await updateAudited(
      tx,
      a,
      'instrument.retired',
      before,
      { status: 'retired', retiredAt: now, updatedAt: now },
      requestId,
    );
  });
  return getInstrument(deps, a, id);
}

/** The instrument and the actor, when the actor may edit it (a manager of its lab). */
async function editableInstrument(deps: CatalogueDeps, actor: Actor | null, id: string) {
  const existing = await repo.findInstrument(deps.db, id);
  // Retired entries of other labs are not public: answer as if they did not exist.
  if (!existing || (existing.status === 'retired' && !isLabMember(actor, existing.labId))) throw notFound('instrument');
  return { existing, a: assertCanEditLabCatalogue(actor, existing.labId) };
}

/** Writes the change to the locked row and audits it, before and after. */
async function updateAudited(
  tx: DbOrTx,
  a: Actor,
  action: 'instrument.updated' | 'instrument.retired',
  before: Instrument,
  values: Parameters<typeof repo.updateInstrument>[2] & { updatedAt: Date },
  requestId: string | undefined,
) {
  const after = await repo.updateInstrument(tx, before.id, values);
  await recordAudit(tx, a, {
    at: values.updatedAt,
    action,
    entityType: 'instrument',
    entityId: before.id,
    orgId: before.labId,
    before: auditView(before),
    after: auditView(after),
    requestId,
  });
}
