import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrate } from './hydrate.js';
import { queryPrepared } from './prepared-query.js';

type ColumnMetadata = ReturnType<EntityManager['connection']['getMetadata']>['columns'][number];

const statements = new Map<string, { text: string; columns: ColumnMetadata[] }>();

/** Every stored column of an entity, spelled out (a prepared statement may not return `*`: see `queryPrepared`). */
export function returningColumns<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>): string {
  return manager.connection
    .getMetadata(target)
    .columns.map((column) => `"${column.databaseName}"`)
    .join(', ');
}

/**
 * `INSERT … ON CONFLICT (conflict) DO UPDATE … RETURNING` the whole row, as TypeORM's `upsert` writes it (the
 * given properties inserted or overwritten, the generated id and dates left to their defaults, `updated_at` moved
 * on update), but as a prepared statement: on the processing path TypeORM's query building and PostgreSQL's
 * planning of this statement cost more than running it. One text per set of given properties.
 */
export async function upsertReturning<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Partial<T>,
  conflictProperty: keyof T & string,
): Promise<T> {
  const metadata = manager.connection.getMetadata(target);
  const properties = Object.keys(row).filter((property) => row[property] !== undefined);
  const cacheKey = `${metadata.tableName}:${conflictProperty}:${properties.join(',')}`;
  let statement = statements.get(cacheKey);
  if (!statement) {
    const columns = properties.map((property) => {
      const column = metadata.findColumnWithPropertyPath(property);
      if (!column || !column.isInsert) throw new Error(`${metadata.tableName} has no insertable column for ${property}`);
      return column;
    });
    const conflict = metadata.findColumnWithPropertyPath(conflictProperty)!.databaseName;
    const updates = columns.filter((column) => column.databaseName !== conflict).map((column) => `"${column.databaseName}" = EXCLUDED."${column.databaseName}"`);
    if (metadata.updateDateColumn) updates.push(`"${metadata.updateDateColumn.databaseName}" = DEFAULT`);
    statement = {
      columns,
      text: `INSERT INTO "${metadata.tableName}" (${columns.map((column) => `"${column.databaseName}"`).join(', ')})
        VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})
        ON CONFLICT ("${conflict}") DO UPDATE SET ${updates.join(', ')}
        RETURNING ${returningColumns(manager, target)}`,
    };
    statements.set(cacheKey, statement);
  }
  const driver = manager.connection.driver;
  const values = statement.columns.map((column) => driver.preparePersistentValue(column.getEntityValue(row), column));
  const [saved] = await queryPrepared<Record<string, unknown>>(manager, statement.text, values);
  return hydrate(manager, target, saved);
}
