import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a raw row (`RETURNING *` of a hand-written statement), converted as TypeORM converts the rows
 * it reads itself: for the hot paths that write and read back in one statement instead of a save and a find.
 */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, raw: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  const driver = manager.connection.driver;
  for (const column of metadata.columns) {
    if (!(column.databaseName in raw)) continue;
    column.setEntityValue(entity, driver.prepareHydratedValue(raw[column.databaseName], column));
  }
  return entity;
}
