import { createDb } from '@qihub/db';
import { loadConfig } from '../config.ts';
import { rebuildStatisticsRollups } from '../modules/statistics/index.ts';

/**
 * Rebuilds the statistics rollups of DATABASE_URL from the records. The triggers keep them live;
 * this is for after a bulk load that bypassed the triggers, or a catalogue price change (the
 * list-price value of what was delivered is taken at the time it is counted).
 */
const config = loadConfig(process.env);
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
const handle = createDb(config.databaseUrl, { max: 1 });
const started = performance.now();
await rebuildStatisticsRollups({ db: handle.db });
await handle.close();
console.log(`statistics rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
