import { BadRequestException } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { DEFAULT_PAGE_SIZE } from './page-query.dto.js';

/** Keyset cursor for lists ordered newest first by (timestamp, id). Opaque to clients (base64url JSON). */
export interface PageCursor {
  at: Date;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): PageCursor | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new BadRequestException('cursor is not valid: pass the nextCursor of the previous page');
  }
}

/** Takes `limit + 1` rows and returns the page and the cursor of the next one. */
export function toPage<T, R>(rows: T[], limit: number, key: (row: T) => PageCursor, map: (row: T) => R): Page<R> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? key(last) : undefined;
  return { items: page.map(map), nextCursor: next ? encodeCursor(next.at, next.id) : null };
}

export interface Page<R> {
  items: R[];
  nextCursor: string | null;
}

/**
 * Runs a list query newest first, keyset-paged by (`timeColumn`, id): applies the order, `limit + 1` and the
 * cursor of `query` to `builder` (which holds only the list's own filters) and maps the page.
 */
export async function fetchPage<T extends { id: string }, R>(
  builder: SelectQueryBuilder<T>,
  keyset: { timeColumn: string; timeOf: (row: T) => Date },
  query: { limit?: number; cursor?: string },
  map: (row: T) => R,
): Promise<Page<R>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor);
  const time = `${builder.alias}.${keyset.timeColumn}`;
  builder.orderBy(time, 'DESC').addOrderBy(`${builder.alias}.id`, 'DESC').limit(limit + 1);
  if (after) builder.andWhere(`(${time}, ${builder.alias}.id) < (:pageAt, :pageId)`, { pageAt: after.at, pageId: after.id });
  return toPage(await builder.getMany(), limit, (row) => ({ at: keyset.timeOf(row), id: row.id }), map);
}
