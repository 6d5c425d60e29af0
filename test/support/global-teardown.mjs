import { rmSync } from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const state = globalThis.__convaiTestDatabase;
  if (!state) return;
  const admin = new pg.Client({ connectionString: state.serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${state.name} WITH (FORCE)`).catch(() => {});
  await admin.end();
  if (state.embedded) {
    await state.embedded.stop();
    rmSync(state.root, { recursive: true, force: true });
  }
}
