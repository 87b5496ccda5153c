export { buildApp } from './app.ts';
export type { AppContext } from './app-context.ts';
export { loadConfig, loadDotEnv, type Config } from './config.ts';
export { startInfrastructure, redisConnection, requestRedis } from './runtime.ts';
export { PROBLEM_CODES, type ProblemCode } from './lib/errors.ts';
