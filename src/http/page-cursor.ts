import { BadRequestException } from '@nestjs/common';

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
export function toPage<T, R>(rows: T[], limit: number, key: (row: T) => PageCursor, map: (row: T) => R): { items: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? key(last) : undefined;
  return { items: page.map(map), nextCursor: next ? encodeCursor(next.at, next.id) : null };
}
