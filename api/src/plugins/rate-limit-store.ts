import { createRequire } from 'node:module';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

/**
 * The rate-limit store: Redis when it answers (shared by every API replica), this process's own
 * counters when it does not. A Redis outage must neither lock everyone out of signing in nor switch
 * the limit off: for the outage each replica limits on its own, which is weaker than the shared
 * count (a client spread over N replicas gets N times the attempts) but never unlimited.
 */

type Result = { current: number; ttl: number };
type Callback = (err: Error | null, res: Result | null) => void;
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  read?(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): Store;
}
interface RouteOptions {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  cache?: number;
  routeInfo: { method: string; url: string };
}
interface GlobalParams {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
}

// The plugin's own stores (CommonJS, not in its public exports' types).
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => Store;
const LocalStore = require('@fastify/rate-limit/store/LocalStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache?: number,
) => Store;

class FallbackStore implements Store {
  constructor(
    private readonly shared: Store,
    private readonly local: Store,
    private readonly onOutage: (err: Error) => void,
  ) {}

  incr(key: string, cb: Callback, timeWindow: number, max: number): void {
    this.shared.incr(
      key,
      (err, res) => {
        if (!err) return cb(null, res);
        this.onOutage(err);
        this.local.incr(key, cb, timeWindow, max);
      },
      timeWindow,
      max,
    );
  }

  read(key: string, cb: Callback, timeWindow: number, max: number): void {
    this.shared.read!(
      key,
      (err, res) => {
        if (!err) return cb(null, res);
        this.onOutage(err);
        this.local.read!(key, cb, timeWindow, max);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: RouteOptions): Store {
    return new FallbackStore(this.shared.child(routeOptions), this.local.child(routeOptions), this.onOutage);
  }
}

/** The `store` option of @fastify/rate-limit: Redis with an in-process fallback. */
export function resilientRateLimitStore(
  redis: Redis,
  nameSpace: string,
  log: (err: Error) => void,
): FastifyRateLimitStoreCtor {
  let lastLogged = 0;
  const onOutage = (err: Error) => {
    // One line a minute is enough to say the limits run per process for now.
    const now = Date.now();
    if (now - lastLogged > 60_000) {
      lastLogged = now;
      log(err);
    }
  };
  // The plugin calls `new Store(globalParams)`; a constructor may hand back another object.
  return class {
    constructor(params: GlobalParams) {
      const continueExceeding = params.continueExceeding ?? false;
      const exponentialBackoff = params.exponentialBackoff ?? false;
      return new FallbackStore(
        new RedisStore(continueExceeding, exponentialBackoff, redis, nameSpace),
        new LocalStore(continueExceeding, exponentialBackoff),
        onOutage,
      );
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
