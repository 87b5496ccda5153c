import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Configuration from environment variables, validated at boot: a typo fails the start with a
 * message naming the variable, not a surprise at 3 a.m. (CONVENTIONS habit 7).
 */
const Bool = Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')]);

const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  /**
   * The API's address. Named apart from the web's WEB_HOST/WEB_PORT so that one `.env` can hold both
   * (plain HOST/PORT are read by neither).
   */
  API_HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  API_PORT: Type.Integer({ default: 3001, minimum: 0, maximum: 65535 }),
  /** The web server's port: read here only for the default public URLs. */
  WEB_PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  /** Unset: an embedded PostgreSQL is started (zero-setup demo). */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** Unset: job processors run inside the API process; set: the worker is its own process on BullMQ. */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  QUEUE_PREFIX: Type.String({ default: 'qihub', pattern: '^[a-zA-Z0-9_-]+$' }),
  QIHUB_DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** Uploaded files (order attachments, sample photos) and rendered report PDFs; default .data/files in the repo. */
  FILES_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** Largest accepted upload, in bytes (default 10 MiB). */
  UPLOAD_MAX_BYTES: Type.Integer({ default: 10 * 1024 * 1024, minimum: 1024 }),
  EMBEDDED_PG_PORT: Type.Integer({ default: 5433, minimum: 1, maximum: 65535 }),
  MIGRATE_ON_START: Type.Optional(Bool),
  /** Seed demo data at start; defaults to true on the embedded database, false otherwise. */
  SEED_DEMO: Type.Optional(Bool),
  SESSION_TTL_MINUTES: Type.Integer({ default: 7 * 24 * 60, minimum: 1 }),
  COOKIE_SECURE: Bool,
  /** Comma-separated origins allowed by CORS; empty keeps CORS closed. */
  CORS_ORIGINS: Type.String({ default: '' }),
  AUTH_RATE_LIMIT_MAX: Type.Integer({ default: 10, minimum: 1 }),
  AUTH_RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  /** Failed sign-ins one account takes, from any address, before it is held for the window. */
  AUTH_ACCOUNT_FAILURES_MAX: Type.Integer({ default: 5, minimum: 1 }),
  AUTH_ACCOUNT_WINDOW_MS: Type.Integer({ default: 15 * 60_000, minimum: 1000 }),
  LOG_LEVEL: Type.String({ default: 'info', pattern: '^(fatal|error|warn|info|debug|trace|silent)$' }),
  /** Human-readable log lines (pino-pretty) instead of JSON; default: on in development only. */
  LOG_PRETTY: Type.Optional(Bool),
  /**
   * Lets a Prometheus server that is not on this machine read /metrics with
   * `Authorization: Bearer <token>`; unset, only loopback may (everyone else gets 404).
   */
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** The worker's own /metrics (it has no other HTTP server); port 0 turns it off. */
  WORKER_METRICS_HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  WORKER_METRICS_PORT: Type.Integer({ default: 9464, minimum: 0, maximum: 65535 }),
  /** Default: http://localhost:<WEB_PORT>. */
  PUBLIC_WEB_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** Where calendar apps reach the API (secret iCal feed URLs are built on it). */
  PUBLIC_API_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** Unset: notifications stay in the in-app inbox; set (smtp[s]://user:pass@host:port): also emailed. */
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ default: 'QIHub <no-reply@qihub.local>', minLength: 3 }),
  /**
   * Which proxies may tell us the client address (X-Forwarded-For): by default only loopback, i.e.
   * the web server beside the API. Rate limits key on that address, so it must not be spoofable.
   */
  TRUST_PROXY: Type.String({ default: 'loopback' }),
  /**
   * On SIGTERM, how long the API keeps serving (answering /readyz with 503 so a load balancer takes
   * it out of rotation) before it stops accepting connections and finishes the requests in hand.
   */
  SHUTDOWN_DRAIN_MS: Type.Integer({ default: 0, minimum: 0, maximum: 120_000 }),
  /**
   * Tests only (refused unless NODE_ENV=test): a file holding an ISO 8601 instant that the API's and
   * the worker's clock read instead of the system time, so a test of several processes can set
   * "now" for all of them at once (tests/integration/multi-process.test.ts).
   */
  QIHUB_TEST_CLOCK_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** Unset: card payments are not offered (bank transfer and vouchers only); set: Stripe Connect. */
  STRIPE_SECRET_KEY: Type.Optional(Type.String({ pattern: '^(sk|rk)_[A-Za-z0-9_]+$' })),
  /** Signing secret of the webhook endpoint (`whsec_…`); required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 8 })),
  /** Another server answering the Stripe API (the tests' fake), e.g. http://127.0.0.1:12111. */
  STRIPE_API_BASE: Type.Optional(Type.String({ pattern: '^https?://[^/]+/?$' })),
});
type Env = Static<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  queuePrefix: string;
  dataDir: string | undefined;
  /** Absolute folder for uploads and report PDFs. */
  filesDir: string;
  uploadMaxBytes: number;
  embeddedPgPort: number;
  migrateOnStart: boolean;
  seedDemo: boolean | undefined;
  sessionTtlMinutes: number;
  cookieSecure: boolean;
  corsOrigins: string[];
  authRateLimit: { max: number; windowMs: number };
  /** Failed sign-ins per account (any address). */
  authAccountLimit: { max: number; windowMs: number };
  logLevel: string;
  /** pino-pretty instead of JSON lines. */
  logPretty: boolean;
  /** Bearer token for /metrics from elsewhere than loopback; undefined: loopback only. */
  metricsToken: string | undefined;
  /** Where the worker serves its /metrics; port 0: not at all. */
  workerMetrics: { host: string; port: number };
  publicWebUrl: string;
  publicApiUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  trustProxy: string;
  shutdownDrainMs: number;
  /** Tests only: where the clock reads "now" (see QIHUB_TEST_CLOCK_FILE). */
  testClockFile: string | undefined;
  /** Card payments through Stripe Connect; absent when STRIPE_SECRET_KEY is unset. */
  stripe?: StripeSettings;
}

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Where the SDK sends its requests; unset: Stripe itself. */
  api: { host: string; port: number; protocol: 'http' | 'https' } | null;
}

/** STRIPE_API_BASE split into what the SDK takes (`host`, `port`, `protocol`). */
export function parseStripeApiBase(base: string): NonNullable<StripeSettings['api']> {
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Beside the embedded database's folder: `<repo>/.data/files`. */
export const DEFAULT_FILES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.data/files');

const truthy = (v: string | undefined) => v === 'true' || v === '1';

const INTEGER = /^[0-9]+$/;

/** The repository's `.env`, read by the entry points of the API and the worker (the web's has its own). */
export const DOTENV_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.env');

/**
 * Reads `.env` into the environment when the file exists; variables already set win, so
 * `API_PORT=4001 pnpm start` still beats the file. Entry points call this; tests never do.
 */
export function loadDotEnv(file = process.env.QIHUB_ENV_FILE ?? DOTENV_FILE): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const picked: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(EnvSchema.properties)) {
    const raw = source[key];
    // Empty strings count as unset, as they do in most .env tooling.
    if (raw === undefined || raw === '') continue;
    const isInteger = (schema as { type?: string }).type === 'integer';
    if (isInteger && !INTEGER.test(raw)) {
      // Value.Convert would turn "true" into 1 and "8080.5" into 8080; a typo must fail instead.
      problems.push(`${key}: must be a whole number, got "${raw}"`);
      continue;
    }
    picked[key] = isInteger ? Number(raw) : raw;
  }
  // Secure cookies by default in production; plain HTTP on localhost otherwise.
  picked.COOKIE_SECURE ??= picked.NODE_ENV === 'production' ? 'true' : 'false';
  const withDefaults = Value.Default(EnvSchema, picked) as Record<string, unknown>;
  // Check each variable on its own so that every bad one is named (error lists are capped).
  for (const [key, schema] of Object.entries(EnvSchema.properties)) {
    const value = withDefaults[key];
    if (value === undefined) continue;
    if (!Value.Check(schema, value)) {
      const first = [...Value.Errors(schema, value)][0];
      problems.push(`${key}: ${first?.message ?? 'is invalid'}`);
    }
  }
  if (withDefaults.QIHUB_TEST_CLOCK_FILE !== undefined && withDefaults.NODE_ENV !== 'test') {
    problems.push('QIHUB_TEST_CLOCK_FILE: only for tests (NODE_ENV=test); a real deployment runs on the system clock');
  }
  if (withDefaults.STRIPE_SECRET_KEY !== undefined && withDefaults.STRIPE_WEBHOOK_SECRET === undefined) {
    problems.push('STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY (webhooks are how card payments arrive)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const env = withDefaults as Env;
  return {
    env: env.NODE_ENV,
    host: env.API_HOST,
    port: env.API_PORT,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX,
    dataDir: env.QIHUB_DATA_DIR,
    filesDir: path.resolve(env.FILES_DIR ?? DEFAULT_FILES_DIR),
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    migrateOnStart: env.MIGRATE_ON_START === undefined ? true : truthy(env.MIGRATE_ON_START),
    seedDemo: env.SEED_DEMO === undefined ? undefined : truthy(env.SEED_DEMO),
    sessionTtlMinutes: env.SESSION_TTL_MINUTES,
    cookieSecure: truthy(env.COOKIE_SECURE),
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    authRateLimit: { max: env.AUTH_RATE_LIMIT_MAX, windowMs: env.AUTH_RATE_LIMIT_WINDOW_MS },
    authAccountLimit: { max: env.AUTH_ACCOUNT_FAILURES_MAX, windowMs: env.AUTH_ACCOUNT_WINDOW_MS },
    logLevel: env.LOG_LEVEL,
    logPretty: env.LOG_PRETTY === undefined ? env.NODE_ENV === 'development' : truthy(env.LOG_PRETTY),
    metricsToken: env.METRICS_TOKEN,
    workerMetrics: { host: env.WORKER_METRICS_HOST, port: env.WORKER_METRICS_PORT },
    publicWebUrl: env.PUBLIC_WEB_URL ?? `http://localhost:${env.WEB_PORT}`,
    publicApiUrl: (env.PUBLIC_API_URL ?? `http://localhost:${env.API_PORT}`).replace(/\/+$/, ''),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    trustProxy: env.TRUST_PROXY,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    testClockFile: env.QIHUB_TEST_CLOCK_FILE,
    ...(env.STRIPE_SECRET_KEY
      ? {
          stripe: {
            secretKey: env.STRIPE_SECRET_KEY,
            webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
            api: env.STRIPE_API_BASE ? parseStripeApiBase(env.STRIPE_API_BASE) : null,
          },
        }
      : {}),
  };
}
