import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '@qihub/db';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';

/** Writes the OpenAPI document (no database connection is made) for the web's generated client. */
const out = path.resolve(process.argv[2] ?? 'openapi.json');
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const handle = createDb('postgres://unused@127.0.0.1:1/unused');
const app = await buildApp(
  { config, db: handle.db, clock: () => new Date(), queue: null, redis: null },
  { logger: false },
);
await app.ready();
writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await handle.close();
console.log(`OpenAPI document written to ${out}`);
