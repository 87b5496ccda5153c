// The booking engine under load, over real HTTP against real PostgreSQL, with a baseline measured in
// the same run. A scratch database is created, migrated, seeded (demo data + seed-load.ts: 1,000
// instruments and 300,000 past and future bookings) and dropped at the end. The servers run in
// their own processes (bench-server.ts), the load generator here; loopback only.
//   1. baseline: bare Fastify + pg inserting one row per request (same pool size, same concurrency);
//   2. booking creation: POST /v1/bookings on distinct free slots by logged-in SME users;
//   3. the race: 64 clients POST the same slot at once, per trial a fresh slot; then a SQL audit;
//   4. availability of one instrument over 14 days, and search over 200 instruments × 30 days,
//      at 4 concurrent clients.
// Usage: pnpm bench:booking [--quick] [--trials N]   (PostgreSQL of TEST_DATABASE_URL, default 127.0.0.1:5432)
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDb, runMigrations } from '@qihub/db';
import { seedDemo } from '@qihub/db/seed';
import pg from 'pg';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env.ts';
import { SEARCH_GROUPS, seedLoad, type Load } from './seed-load.ts';

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, trials: { type: 'string' } },
});
const quick = flags.quick;
const settings = {
  labs: quick ? 5 : 20,
  instruments: quick ? 200 : 1000,
  users: 64,
  pastDays: quick ? 30 : 200,
  /** Client concurrency and server pool size, the same for the baseline and the API. */
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  pool: Number(process.env.BENCH_POOL ?? 16),
  creations: quick ? 600 : 4000,
  raceClients: 64,
  trials: flags.trials ? Number(flags.trials) : quick ? 20 : 1000,
  availabilityRequests: quick ? 100 : 400,
  searchRequests: quick ? 30 : 120,
  readClients: 4,
};
if (!Number.isInteger(settings.trials) || settings.trials < 1) throw new Error('--trials takes a positive integer');

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ACTIVE = `('held', 'pending_approval', 'confirmed', 'in_use')`;

interface Result {
  rps: number;
  p50: number;
  p99: number;
  statuses: Map<number, number>;
  seconds: number;
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const statusText = (s: Map<number, number>) =>
  [...s.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');

/** `total` calls of `once` by `concurrency` workers after `warmup` calls; `once` returns the HTTP status. */
async function measure(
  label: string,
  o: { total: number; concurrency: number; warmup: number },
  once: () => Promise<number>,
): Promise<Result> {
  for (let i = 0; i < o.warmup; i++) await once();
  let next = 0;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.total) {
        next++;
        const t = performance.now();
        const status = await once();
        latencies.push(performance.now() - t);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const r = { rps: o.total / seconds, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), statuses, seconds };
  console.log(
    `${label.padEnd(46)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${ms(r.p50).padStart(9)}   p99 ${ms(r.p99).padStart(9)}   [${statusText(statuses)}]`,
  );
  return r;
}

/** Starts bench-server.ts in its own process; resolves with its base URL once it listens. */
async function startServer(kind: 'api' | 'baseline', url: string): Promise<{ base: string; child: ChildProcess }> {
  const file = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, file], {
    env: { ...process.env, BENCH_SERVER: kind, BENCH_DATABASE_URL: url, BENCH_POOL: String(settings.pool) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function post(url: string, token: string | null, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Slots on the 30-minute grid, `offsets` minutes after 08:30 local, on open days inside lead time and horizon. */
function slotPicker(load: Load, instruments: string[], offsets: number[], now: Date) {
  const days = load.openDays.filter((d) => {
    const first = d.getTime() + Math.min(...offsets) * MINUTE;
    const last = d.getTime() + Math.max(...offsets) * MINUTE;
    return first >= now.getTime() + DAY + 60 * MINUTE && last <= now.getTime() + 59 * DAY;
  });
  const capacity = instruments.length * days.length * offsets.length;
  return {
    capacity,
    /** The i-th distinct slot: instruments first (spreads the load), then days, then times of day. */
    slot(i: number) {
      if (i >= capacity) throw new Error(`only ${capacity} distinct slots`);
      const instrumentId = instruments[i % instruments.length]!;
      const c = Math.floor(i / instruments.length);
      const start = new Date(days[c % days.length]!.getTime() + offsets[Math.floor(c / days.length)]! * MINUTE);
      return { instrumentId, start, end: new Date(start.getTime() + 30 * MINUTE) };
    },
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so runs pick the same instruments. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  figure: string;
  value: string;
  target: string;
  pass: boolean | null;
}
const summary: Row[] = [];

const name = `qihub_bench_booking_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = databaseUrl(name);
const handle = createDb(url, { max: 4 });
const children: ChildProcess[] = [];
const runStarted = performance.now();
try {
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `booking bench${quick ? ' (--quick)' : ''}: ${settings.instruments} instruments, client concurrency ${settings.concurrency}, ` +
      `server pool ${settings.pool}, race ${settings.raceClients} clients × ${settings.trials} trials\n`,
  );
  await runMigrations(handle.db);
  await seedDemo(handle.db);
  await handle.pool.query(
    `CREATE TABLE bench_baseline_rows (id bigserial PRIMARY KEY, instrument_id uuid NOT NULL,
       starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL, note text NOT NULL DEFAULT '',
       created_at timestamptz NOT NULL DEFAULT now())`,
  );
  const seedStarted = performance.now();
  const now = new Date();
  const load = await seedLoad(handle.pool, { ...settings, now });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const totals = (
    await handle.pool.query<{ instruments: number; units: number; bookings: number; future: number }>(
      `SELECT (SELECT count(*)::int FROM instruments) AS instruments, (SELECT count(*)::int FROM instrument_units) AS units,
         count(*)::int AS bookings, (count(*) FILTER (WHERE starts_at > now()))::int AS future FROM bookings`,
    )
  ).rows[0]!;
  console.log(
    `seeded ${load.instruments.length} load instruments (${totals.instruments} in all, ${totals.units} units) and ` +
      `${load.bookings} bookings (${totals.bookings} in all, ${totals.future} future) in ${seedSeconds.toFixed(1)} s\n`,
  );
  summary.push({
    figure: 'seed: instruments / bookings',
    value: `${totals.instruments} / ${totals.bookings} in ${seedSeconds.toFixed(1)} s`,
    target: '≥ 1,000 / ≥ 300,000',
    pass: quick ? null : totals.instruments >= 1000 && totals.bookings >= 300_000,
  });

  const creationPicker = slotPicker(
    load,
    load.instruments.map((i) => i.id),
    [240, 270, 300, 330], // 12:30, 13:00, 13:30, 14:00 local
    now,
  );
  const raceInstruments = load.instruments.filter((i) => i.units === 1).map((i) => i.id);
  const racePicker = slotPicker(load, raceInstruments, [450, 480, 510], now); // 16:00, 16:30, 17:00 local
  const needed = settings.creations + 100;
  if (creationPicker.capacity < needed || racePicker.capacity < settings.trials) {
    throw new Error(`not enough free slots: ${creationPicker.capacity} / ${racePicker.capacity}`);
  }

  // 1. Baseline.
  const baselineServer = await startServer('baseline', url);
  children.push(baselineServer.child);
  let b = 0;
  const baseline = await measure(
    'baseline: bare Fastify + pg INSERT (HTTP)',
    { total: settings.creations, concurrency: settings.concurrency, warmup: 50 },
    async () => {
      const s = creationPicker.slot(b++);
      const res = await post(`${baselineServer.base}/rows`, null, {
        instrumentId: s.instrumentId,
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        note: 'bench',
      });
      return res.status;
    },
  );
  await stopServer(baselineServer.child);
  summary.push({
    figure: 'baseline insert throughput / p99',
    value: `${baseline.rps.toFixed(0)} req/s / ${ms(baseline.p99)}`,
    target: '(reference)',
    pass: null,
  });

  // 2. Booking creation.
  const api = await startServer('api', url);
  children.push(api.child);
  let c = 0;
  let firstFailure: string | null = null;
  const creation = await measure(
    'product: POST /v1/bookings (HTTP)',
    { total: settings.creations, concurrency: settings.concurrency, warmup: 50 },
    async () => {
      const i = c++;
      const s = creationPicker.slot(i);
      const res = await post(`${api.base}/v1/bookings`, load.tokens[i % load.tokens.length]!, {
        instrumentId: s.instrumentId,
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        mode: 'self',
      });
      if (res.status !== 201) firstFailure ??= `${res.status} ${res.text.slice(0, 300)}`;
      return res.status;
    },
  );
  if (firstFailure) console.log(`  first non-201: ${firstFailure}`);
  const ratio = creation.rps / baseline.rps;
  console.log(
    `  ratio product/baseline: throughput ${ratio.toFixed(2)}×, p99 ${(creation.p99 / baseline.p99).toFixed(1)}× the baseline's\n`,
  );
  const created = creation.statuses.get(201) ?? 0;
  summary.push({
    figure: 'booking creation throughput / p99',
    value: `${creation.rps.toFixed(0)} req/s / ${ms(creation.p99)} (${created}/${settings.creations} 201)`,
    target: 'all 201',
    pass: created === settings.creations,
  });
  summary.push({
    figure: 'creation throughput ÷ baseline',
    value: `${ratio.toFixed(2)}×`,
    target: '≥ 0.35×',
    pass: ratio >= 0.35,
  });

  // 3. The race.
  const raceStarted = performance.now();
  const raceStatuses = new Map<number, number>();
  let exactlyOne = 0;
  const badTrials: string[] = [];
  const raceSlots: { instrumentId: string; start: Date }[] = [];
  for (let t = 0; t < settings.trials; t++) {
    const s = racePicker.slot(t);
    raceSlots.push(s);
    const body = { instrumentId: s.instrumentId, start: s.start.toISOString(), end: s.end.toISOString(), mode: 'self' };
    const results = await Promise.all(
      Array.from({ length: settings.raceClients }, (_, k) =>
        post(`${api.base}/v1/bookings`, load.tokens[k % load.tokens.length]!, body).then(
          (r) => r,
          (e: Error) => ({ status: 599, text: e.message }),
        ),
      ),
    );
    const count = (pred: (st: number) => boolean) => results.filter((r) => pred(r.status)).length;
    for (const r of results) raceStatuses.set(r.status, (raceStatuses.get(r.status) ?? 0) + 1);
    const ok = count((st) => st === 201);
    const fives = count((st) => st >= 500);
    if (ok === 1) exactlyOne++;
    else if (badTrials.length < 5) {
      const odd = results.find((r) => r.status !== 201 && r.status !== 409);
      badTrials.push(
        `trial ${t}: ${ok}×201 ${count((st) => st === 409)}×409 ${fives}×5xx ${odd ? odd.text.slice(0, 200) : ''}`,
      );
    }
    if ((t + 1) % 50 === 0 && t + 1 < settings.trials) {
      console.log(
        `  race: ${t + 1}/${settings.trials} trials, ${((performance.now() - raceStarted) / 1000).toFixed(0)} s`,
      );
    }
  }
  const raceSeconds = (performance.now() - raceStarted) / 1000;
  const race5xx = [...raceStatuses.entries()].filter(([k]) => k >= 500).reduce((n, [, v]) => n + v, 0);
  console.log(
    `race: ${settings.raceClients} clients × ${settings.trials} trials in ${raceSeconds.toFixed(1)} s ` +
      `(${((settings.raceClients * settings.trials) / raceSeconds).toFixed(0)} req/s): ` +
      `${exactlyOne}/${settings.trials} trials with exactly one 201   [${statusText(raceStatuses)}]`,
  );
  for (const line of badTrials) console.log(`  ${line}`);
  const audit = (
    await handle.pool.query<{ overlaps: number }>(
      `SELECT count(*)::int AS overlaps FROM bookings a JOIN bookings b
         ON b.unit_id = a.unit_id AND b.id > a.id AND b.occupied && a.occupied
       WHERE a.status IN ${ACTIVE} AND b.status IN ${ACTIVE}`,
    )
  ).rows[0]!;
  const perSlot = (
    await handle.pool.query<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM unnest($1::uuid[], $2::timestamptz[]) AS s(instrument_id, starts_at)
       WHERE (SELECT count(*) FROM bookings b WHERE b.instrument_id = s.instrument_id AND b.starts_at = s.starts_at
                AND b.status IN ${ACTIVE}) <> 1`,
      [raceSlots.map((s) => s.instrumentId), raceSlots.map((s) => s.start.toISOString())],
    )
  ).rows[0]!;
  console.log(
    `audit: ${audit.overlaps} overlapping active bookings on a unit (all ${totals.bookings + created + exactlyOne} rows); ` +
      `${perSlot.wrong} race slots without exactly one active booking\n`,
  );
  summary.push({
    figure: `race: trials with exactly one 201`,
    value: `${exactlyOne}/${settings.trials} in ${raceSeconds.toFixed(0)} s`,
    target: 'all',
    pass: exactlyOne === settings.trials,
  });
  summary.push({ figure: 'race: 5xx responses', value: String(race5xx), target: '0', pass: race5xx === 0 });
  summary.push({
    figure: 'audit: overlapping active bookings',
    value: `${audit.overlaps} (+ ${perSlot.wrong} race slots ≠ 1)`,
    target: '0',
    pass: audit.overlaps === 0 && perSlot.wrong === 0,
  });

  // 4. Availability and search, 4 concurrent clients.
  const random = rng(42);
  const fromNow = new Date(Math.ceil(Date.now() / (30 * MINUTE)) * 30 * MINUTE);
  const iso = (d: Date) => d.toISOString();
  let emptyAnswers = 0;
  const availability = await measure(
    'GET /v1/instruments/{id}/availability 14 days',
    { total: settings.availabilityRequests, concurrency: settings.readClients, warmup: 20 },
    async () => {
      const instrument = load.instruments[Math.floor(random() * load.instruments.length)]!;
      const q = new URLSearchParams({
        from: iso(fromNow),
        to: iso(new Date(fromNow.getTime() + 14 * DAY)),
        durationMinutes: '60',
      });
      const res = await fetch(`${api.base}/v1/instruments/${instrument.id}/availability?${q}`);
      const body = (await res.json()) as { slots?: unknown[] };
      if (res.status === 200 && (body.slots?.length ?? 0) === 0) emptyAnswers++;
      return res.status;
    },
  );
  if (emptyAnswers > 0) console.log(`  ${emptyAnswers} answers without any slot`);
  summary.push({
    figure: 'availability 1 instrument × 14 d p50 / p99',
    value: `${ms(availability.p50)} / ${ms(availability.p99)}`,
    target: 'p99 ≤ 75 ms',
    pass: availability.p99 <= 75 && availability.statuses.get(200) === settings.availabilityRequests,
  });

  const group = SEARCH_GROUPS[2]!;
  const searchQuery = new URLSearchParams({
    q: group,
    from: iso(fromNow),
    to: iso(new Date(fromNow.getTime() + 30 * DAY)),
    durationMinutes: '60',
    limit: '50',
  });
  const probe = await fetch(`${api.base}/v1/availability/search?${searchQuery}`);
  const probeBody = (await probe.json()) as { considered?: number; items?: unknown[] };
  if (probe.status === 404) {
    console.log('search: endpoint missing');
    summary.push({
      figure: 'search 200 instr. × 30 d p50 / p99',
      value: 'endpoint missing',
      target: 'p99 ≤ 150 ms',
      pass: null,
    });
  } else {
    console.log(
      `search "${group}": ${probeBody.considered} instruments considered, ${probeBody.items?.length} listed (status ${probe.status})`,
    );
    const search = await measure(
      `GET /v1/availability/search ${probeBody.considered} instr. × 30 days`,
      { total: settings.searchRequests, concurrency: settings.readClients, warmup: 5 },
      async () => {
        const res = await fetch(`${api.base}/v1/availability/search?${searchQuery}`);
        await res.arrayBuffer();
        return res.status;
      },
    );
    summary.push({
      figure: `search ${probeBody.considered} instr. × 30 d p50 / p99`,
      value: `${ms(search.p50)} / ${ms(search.p99)}`,
      target: 'p99 ≤ 150 ms',
      pass: search.p99 <= 150 && search.statuses.get(200) === settings.searchRequests,
    });
  }
  await stopServer(api.child);

  console.log(
    `\nsummary (${quick ? 'quick run, ' : ''}total ${((performance.now() - runStarted) / 1000).toFixed(0)} s, ` +
      `load average now ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')})`,
  );
  const w = [Math.max(...summary.map((r) => r.figure.length)), Math.max(...summary.map((r) => r.value.length)), 20];
  for (const r of summary) {
    const verdict = r.pass === null ? '' : r.pass ? 'PASS' : 'MISS';
    console.log(`  ${r.figure.padEnd(w[0]!)}  ${r.value.padEnd(w[1]!)}  ${r.target.padEnd(w[2]!)}  ${verdict}`);
  }
} finally {
  for (const child of children) await stopServer(child);
  await handle.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
