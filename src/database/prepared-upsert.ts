import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrate } from './hydrate.js';
import { queryPrepared } from './prepared-query.js';

type EntityMetadata = ReturnType<EntityManager['connection']['getMetadata']>;
type ColumnMetadata = EntityMetadata['columns'][number];

const statements = new Map<string, string>();

/** A row written by the same statement just before the upsert (one that the upserted row refers to). */
export interface InsertedFirst {
  target: EntityTarget<ObjectLiteral>;
  row: ObjectLiteral;
}

/** The columns of the given properties (those not undefined), in their order. */
function columnsOf(metadata: EntityMetadata, row: ObjectLiteral): ColumnMetadata[] {
  return Object.keys(row)
    .filter((property) => row[property] !== undefined)
    .map((property) => {
      const column = metadata.findColumnWithPropertyPath(property);
      if (!column || !column.isInsert) throw new Error(`${metadata.tableName} has no insertable column for ${property}`);
      return column;
    });
}

/**
 * `INSERT … ON CONFLICT (conflict) DO UPDATE`, as TypeORM's `upsert` writes it (the given properties inserted or
 * overwritten, the generated id and dates left to their defaults, `updated_at` moved on update), but as a prepared
 * statement: on the processing path TypeORM's query building and PostgreSQL's planning of this statement cost more
 * than running it. `first`, when given, is inserted by the same statement (a data-modifying WITH) before it. Returns
 * the entity as written: the given properties, and the columns the database filled (read back, the only ones
 * returned). One text per set of given properties.
 */
export async function upsertReturning<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Partial<T>,
  conflictProperty: keyof T & string,
  first?: InsertedFirst,
): Promise<T> {
  const metadata = manager.connection.getMetadata(target);
  const firstMetadata = first && manager.connection.getMetadata(first.target);
  const columns = columnsOf(metadata, row);
  const firstColumns = first && firstMetadata ? columnsOf(firstMetadata, first.row) : [];
  const cacheKey = `${firstMetadata?.tableName}:${firstColumns.map((column) => column.databaseName).join(',')}:${metadata.tableName}:${conflictProperty}:${columns.map((column) => column.databaseName).join(',')}`;
  let text = statements.get(cacheKey);
  if (!text) {
    const names = (list: ColumnMetadata[]) => list.map((column) => `"${column.databaseName}"`).join(', ');
    const params = (list: ColumnMetadata[], offset: number) => list.map((_, index) => `$${offset + index + 1}`).join(', ');
    const conflict = metadata.findColumnWithPropertyPath(conflictProperty)!.databaseName;
    const updates = columns.filter((column) => column.databaseName !== conflict).map((column) => `"${column.databaseName}" = EXCLUDED."${column.databaseName}"`);
    if (metadata.updateDateColumn) updates.push(`"${metadata.updateDateColumn.databaseName}" = DEFAULT`);
    const filled = metadata.columns.filter((column) => !columns.includes(column));
    text = `${firstMetadata ? `WITH inserted_first AS (INSERT INTO "${firstMetadata.tableName}" (${names(firstColumns)}) VALUES (${params(firstColumns, 0)}))\n` : ''}
        INSERT INTO "${metadata.tableName}" (${names(columns)}) VALUES (${params(columns, firstColumns.length)})
        ON CONFLICT ("${conflict}") DO UPDATE SET ${updates.join(', ')}
        RETURNING ${filled.length ? names(filled) : '1'}`;
    statements.set(cacheKey, text);
  }
  const driver = manager.connection.driver;
  const valuesOf = (list: ColumnMetadata[], source: ObjectLiteral) => list.map((column) => driver.preparePersistentValue(column.getEntityValue(source), column));
  const values = [...(first ? valuesOf(firstColumns, first.row) : []), ...valuesOf(columns, row)];
  const [saved] = await queryPrepared<Record<string, unknown>>(manager, text, values);
  return Object.assign(hydrate(manager, target, saved), row) as T;
}
