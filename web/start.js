// The web server's entry point (`pnpm start`, and in deployment `node web/start.js`): reads the
// repository's `.env` (variables already set win), maps the product's settings onto adapter-node's
// (launch-env.js), then starts the built SvelteKit app.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterEnv } from './launch-env.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dotenv = process.env.QIHUB_ENV_FILE ?? path.join(here, '..', '.env');
if (existsSync(dotenv)) process.loadEnvFile(dotenv);

try {
  Object.assign(process.env, adapterEnv(process.env));
} catch (error) {
  console.error(`[web] invalid configuration: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
console.log(`[web] public origin ${process.env.ORIGIN}; forms are accepted from it and its loopback aliases`);
await import('./build/index.js');
