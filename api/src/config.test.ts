import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, DEFAULT_FILES_DIR, loadConfig, loadDotEnv, type Config } from './config.ts';

/** Loads and expects a ConfigError; returns the variable names it complains about. */
function badVariables(env: Record<string, string | undefined>): string[] {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const err = caught as ConfigError;
  expect(err.name).toBe('ConfigError');
  expect(err.problems.length).toBeGreaterThan(0);
  return [...new Set(err.problems.map((p) => p.slice(0, p.indexOf(':'))))].sort();
}

const KEYS = [
  'NODE_ENV',
  'API_HOST',
  'API_PORT',
  'WEB_PORT',
  'DATABASE_URL',
  'REDIS_URL',
  'QUEUE_PREFIX',
  'QIHUB_DATA_DIR',
  'EMBEDDED_PG_PORT',
  'MIGRATE_ON_START',
  'SEED_DEMO',
  'SESSION_TTL_MINUTES',
  'COOKIE_SECURE',
  'CORS_ORIGINS',
  'AUTH_RATE_LIMIT_MAX',
  'AUTH_RATE_LIMIT_WINDOW_MS',
  'AUTH_ACCOUNT_FAILURES_MAX',
  'AUTH_ACCOUNT_WINDOW_MS',
  'LOG_LEVEL',
  'PUBLIC_WEB_URL',
  'PUBLIC_API_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'TRUST_PROXY',
  'FILES_DIR',
  'UPLOAD_MAX_BYTES',
  'SHUTDOWN_DRAIN_MS',
  'QIHUB_TEST_CLOCK_FILE',
];

const DEFAULTS: Config = {
  env: 'development',
  host: '127.0.0.1',
  port: 3001,
  databaseUrl: undefined,
  redisUrl: undefined,
  queuePrefix: 'qihub',
  dataDir: undefined,
  filesDir: DEFAULT_FILES_DIR,
  uploadMaxBytes: 10 * 1024 * 1024,
  embeddedPgPort: 5433,
  migrateOnStart: true,
  seedDemo: undefined,
  sessionTtlMinutes: 7 * 24 * 60,
  cookieSecure: false,
  corsOrigins: [],
  authRateLimit: { max: 10, windowMs: 60_000 },
  authAccountLimit: { max: 5, windowMs: 900_000 },
  logLevel: 'info',
  logPretty: true,
  metricsToken: undefined,
  workerMetrics: { host: '127.0.0.1', port: 9464 },
  publicWebUrl: 'http://localhost:3000',
  publicApiUrl: 'http://localhost:3001',
  smtpUrl: undefined,
  mailFrom: 'QIHub <no-reply@qihub.local>',
  trustProxy: 'loopback',
  shutdownDrainMs: 0,
  testClockFile: undefined,
};

describe('loadConfig', () => {
  it('applies every default for an empty environment', () => {
    expect(loadConfig({})).toEqual(DEFAULTS);
  });

  it('reads process.env when called without arguments', () => {
    // Blank out every known variable so the ambient environment cannot leak in.
    for (const key of KEYS) vi.stubEnv(key, '');
    vi.stubEnv('API_PORT', '4321');
    vi.stubEnv('COOKIE_SECURE', 'true');
    try {
      // The public API URL follows the port unless PUBLIC_API_URL says otherwise.
      expect(loadConfig()).toEqual({
        ...DEFAULTS,
        port: 4321,
        publicApiUrl: 'http://localhost:4321',
        cookieSecure: true,
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('ignores unrelated variables', () => {
    expect(loadConfig({ PATH: '/bin', TZ: 'UTC', FOO: 'bar' })).toEqual(DEFAULTS);
  });

  it('treats empty strings as unset', () => {
    const empty = Object.fromEntries(KEYS.map((k) => [k, '']));
    expect(loadConfig(empty)).toEqual(DEFAULTS);
  });

  it('reads every variable and converts numbers and booleans', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      API_HOST: '0.0.0.0',
      API_PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/qihub',
      REDIS_URL: 'rediss://cache:6380',
      QUEUE_PREFIX: 'qihub_prod-1',
      QIHUB_DATA_DIR: '/var/lib/qihub',
      FILES_DIR: '/var/lib/qihub/files',
      UPLOAD_MAX_BYTES: '2048',
      EMBEDDED_PG_PORT: '6543',
      MIGRATE_ON_START: 'false',
      SEED_DEMO: 'true',
      SESSION_TTL_MINUTES: '30',
      COOKIE_SECURE: '1',
      CORS_ORIGINS: 'https://a.example',
      AUTH_RATE_LIMIT_MAX: '5',
      AUTH_RATE_LIMIT_WINDOW_MS: '1000',
      AUTH_ACCOUNT_FAILURES_MAX: '3',
      AUTH_ACCOUNT_WINDOW_MS: '120000',
      LOG_LEVEL: 'debug',
      LOG_PRETTY: 'true',
      METRICS_TOKEN: 'a-long-scrape-token-123',
      WORKER_METRICS_HOST: '0.0.0.0',
      WORKER_METRICS_PORT: '9100',
      PUBLIC_WEB_URL: 'https://qihub.example',
      PUBLIC_API_URL: 'https://api.qihub.example/',
      SMTP_URL: 'smtps://mailer:secret@smtp.qihub.example:465',
      MAIL_FROM: 'QIHub <noreply@qihub.example>',
      TRUST_PROXY: '10.0.0.0/8',
      SHUTDOWN_DRAIN_MS: '5000',
    });
    expect(config).toEqual({
      env: 'production',
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/qihub',
      redisUrl: 'rediss://cache:6380',
      queuePrefix: 'qihub_prod-1',
      dataDir: '/var/lib/qihub',
      filesDir: '/var/lib/qihub/files',
      uploadMaxBytes: 2048,
      embeddedPgPort: 6543,
      migrateOnStart: false,
      seedDemo: true,
      sessionTtlMinutes: 30,
      cookieSecure: true,
      corsOrigins: ['https://a.example'],
      authRateLimit: { max: 5, windowMs: 1000 },
      authAccountLimit: { max: 3, windowMs: 120_000 },
      logLevel: 'debug',
      logPretty: true,
      metricsToken: 'a-long-scrape-token-123',
      workerMetrics: { host: '0.0.0.0', port: 9100 },
      publicWebUrl: 'https://qihub.example',
      publicApiUrl: 'https://api.qihub.example',
      smtpUrl: 'smtps://mailer:secret@smtp.qihub.example:465',
      mailFrom: 'QIHub <noreply@qihub.example>',
      trustProxy: '10.0.0.0/8',
      shutdownDrainMs: 5000,
      testClockFile: undefined,
    } satisfies Config);
    expect(typeof config.port).toBe('number');
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('boolean %j → %s for COOKIE_SECURE, MIGRATE_ON_START and SEED_DEMO', (text, value) => {
    const config = loadConfig({ COOKIE_SECURE: text, MIGRATE_ON_START: text, SEED_DEMO: text });
    expect(config.cookieSecure).toBe(value);
    expect(config.migrateOnStart).toBe(value);
    expect(config.seedDemo).toBe(value);
  });

  it.each(['postgres://localhost/qihub', 'postgresql://u@h:5432/d'])('accepts DATABASE_URL %s', (url) => {
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it.each(['redis://localhost:6379', 'rediss://h:6380/0'])('accepts REDIS_URL %s', (url) => {
    expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('accepts LOG_LEVEL %s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each(['development', 'production', 'test'] as const)('accepts NODE_ENV %s', (env) => {
    expect(loadConfig({ NODE_ENV: env }).env).toBe(env);
  });

  it.each([
    ['0', 0],
    ['65535', 65535],
  ])('accepts the API_PORT bound %s', (text, port) => {
    expect(loadConfig({ API_PORT: text }).port).toBe(port);
  });

  it('takes a test clock file only in tests', () => {
    expect(loadConfig({ NODE_ENV: 'test', QIHUB_TEST_CLOCK_FILE: '/tmp/now' }).testClockFile).toBe('/tmp/now');
    expect(badVariables({ QIHUB_TEST_CLOCK_FILE: '/tmp/now' })).toEqual(['QIHUB_TEST_CLOCK_FILE']);
    expect(badVariables({ NODE_ENV: 'production', QIHUB_TEST_CLOCK_FILE: '/tmp/now' })).toEqual([
      'QIHUB_TEST_CLOCK_FILE',
    ]);
  });

  it('splits CORS_ORIGINS on commas, trimming and dropping empty entries', () => {
    expect(loadConfig({ CORS_ORIGINS: ' https://a.example , ,https://b.example,' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(loadConfig({ CORS_ORIGINS: ',' }).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'http://localhost:5173' }).corsOrigins).toEqual(['http://localhost:5173']);
  });

  it('property: CORS_ORIGINS round-trips any list of origins', () => {
    const origin = fc.webUrl({ withFragments: false, withQueryParameters: false }).filter((u) => !u.includes(','));
    fc.assert(
      fc.property(fc.array(origin, { maxLength: 5 }), (origins) => {
        expect(loadConfig({ CORS_ORIGINS: origins.join(', ') }).corsOrigins).toEqual(origins);
      }),
    );
  });

  it('property: any integer API_PORT in range is accepted as a number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (port) => loadConfig({ API_PORT: String(port) }).port === port),
    );
  });

  it('rejects API_PORT, DATABASE_URL and LOG_LEVEL together, naming each variable', () => {
    expect(badVariables({ API_PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toEqual([
      'API_PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
    ]);
  });

  it('derives the public URLs from WEB_PORT and API_PORT, and plain HOST/PORT move nothing', () => {
    const config = loadConfig({ WEB_PORT: '4000', API_PORT: '4001', HOST: '0.0.0.0', PORT: '9999' });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4001);
    expect(config.publicWebUrl).toBe('http://localhost:4000');
    expect(config.publicApiUrl).toBe('http://localhost:4001');
  });

  it.each<[string, Record<string, string>]>([
    ['API_PORT', { API_PORT: 'abc' }],
    ['API_PORT', { API_PORT: '65536' }],
    ['API_PORT', { API_PORT: '-1' }],
    ['API_PORT', { API_PORT: '3001abc' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['DATABASE_URL', { DATABASE_URL: 'localhost:5432' }],
    ['REDIS_URL', { REDIS_URL: 'http://cache' }],
    ['QUEUE_PREFIX', { QUEUE_PREFIX: 'has space' }],
    ['QUEUE_PREFIX', { QUEUE_PREFIX: 'a:b' }],
    ['EMBEDDED_PG_PORT', { EMBEDDED_PG_PORT: '0' }],
    ['SESSION_TTL_MINUTES', { SESSION_TTL_MINUTES: '0' }],
    ['AUTH_RATE_LIMIT_MAX', { AUTH_RATE_LIMIT_MAX: '0' }],
    ['AUTH_RATE_LIMIT_WINDOW_MS', { AUTH_RATE_LIMIT_WINDOW_MS: '999' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'INFO' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['COOKIE_SECURE', { COOKIE_SECURE: 'yes' }],
    ['COOKIE_SECURE', { COOKIE_SECURE: 'TRUE' }],
    ['MIGRATE_ON_START', { MIGRATE_ON_START: 'on' }],
    ['SEED_DEMO', { SEED_DEMO: '2' }],
  ])('rejects bad %s (%j)', (variable, env) => {
    expect(badVariables(env)).toEqual([variable]);
  });

  it('lists each problem only once', () => {
    let problems: string[] = [];
    try {
      loadConfig({ NODE_ENV: 'staging' });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(problems).size).toBe(problems.length);
  });

  // BUG (config.ts:76): Value.Errors stops after TypeBox's default maxErrors (8). Each bad boolean
  // yields 5 raw errors (4 × const + anyOf), so with three bad booleans COOKIE_SECURE is never named.
  it('names every bad variable even when several are invalid', () => {
    expect(badVariables({ MIGRATE_ON_START: 'yes', SEED_DEMO: 'yes', COOKIE_SECURE: 'yes' })).toEqual([
      'COOKIE_SECURE',
      'MIGRATE_ON_START',
      'SEED_DEMO',
    ]);
  });

  // BUG (config.ts:74): Value.Convert coerces non-integers instead of failing — PORT='true' → 1,
  // PORT='8080.5' → 8080, PORT='   ' → 0 (a random port) — so these typos start the server.
  it.each(['true', '8080.5', '   '])('rejects the non-integer PORT %j', (port) => {
    expect(badVariables({ API_PORT: port })).toEqual(['API_PORT']);
  });
});

describe('loadDotEnv', () => {
  it('reads a .env file without overriding variables already set', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, '# a comment\nQIHUB_T_FROM_FILE=file\nQIHUB_T_ALREADY=file\n');
    vi.stubEnv('QIHUB_T_ALREADY', 'shell');
    try {
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env.QIHUB_T_FROM_FILE).toBe('file');
      expect(process.env.QIHUB_T_ALREADY).toBe('shell');
      expect(loadDotEnv(path.join(dir, 'missing.env'))).toBe(false);
    } finally {
      vi.unstubAllEnvs();
      delete process.env.QIHUB_T_FROM_FILE;
    }
  });
});
