import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';

const names = new Map<string, string>();

/**
 * Runs a hot statement as a named prepared statement of its connection, so PostgreSQL parses and plans it once per
 * connection rather than at every call: planning a statement of several lookups costs more than running it.
 * Inside a transaction (`manager.queryRunner`) only; otherwise a plain query. The name is the text's hash, so one
 * name is never given two texts. Errors are pg's own (with `code`), not TypeORM's QueryFailedError. Only for
 * statements whose result columns are spelled out (no `*` of a table): PostgreSQL refuses to run a prepared statement
 * whose result type a migration has changed since.
 */
export async function queryPrepared<T>(manager: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner) return manager.query(text, values) as Promise<T[]>;
  let name = names.get(text);
  if (!name) {
    name = `convai_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  const client = (await runner.connect()) as Client;
  const result = await client.query<T>({ name, text, values });
  return result.rows;
}
