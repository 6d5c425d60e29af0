import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, toPage } from './page-cursor.js';

describe('page cursor', () => {
  it('round-trips a timestamp and id', () => {
    const at = new Date('2026-11-22T01:02:03.456Z');
    expect(decodeCursor(encodeCursor(at, 'abc'))).toEqual({ at, id: 'abc' });
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it('refuses garbage with 400', () => {
    expect(() => decodeCursor('garbage')).toThrow(BadRequestException);
    expect(() => decodeCursor(Buffer.from('["not a date","x"]').toString('base64url'))).toThrow(BadRequestException);
  });

  it('gives a next cursor only when there is one more row than the limit', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000), id: String(n) }));
    const page = toPage(rows, 2, (r) => r, (r) => r.id);
    expect(page.items).toEqual(['1', '2']);
    expect(decodeCursor(page.nextCursor!)).toEqual({ at: new Date(2000), id: '2' });
    expect(toPage(rows, 3, (r) => r, (r) => r.id).nextCursor).toBeNull();
  });
});
