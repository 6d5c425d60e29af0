import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { DataSource } from 'typeorm';
import { Room } from '../../src/rooms/entities/room.entity.js';
import { User } from '../../src/users/entities/user.entity.js';
import { TEST_JWT_SECRET } from './test-app.js';

export interface TokenOptions {
  sub?: string;
  name?: string;
  role?: 'user' | 'admin';
  email?: string;
  phone_number?: string;
  zoneinfo?: string;
  expiresIn?: string | number;
  secret?: string;
}

/** A unique subject per call, so tests never share users by accident. */
export function uniqueSub(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function tokenFor(options: TokenOptions = {}): string {
  const { secret = TEST_JWT_SECRET, expiresIn = '1h', ...claims } = options;
  return jwt.sign({ sub: uniqueSub(), name: 'Test Person', role: 'user', ...claims }, secret, {
    algorithm: 'HS256',
    expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
  });
}

export function adminToken(options: TokenOptions = {}): string {
  return tokenFor({ sub: uniqueSub('admin'), name: 'Test Admin', role: 'admin', ...options });
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export async function createUser(dataSource: DataSource, overrides: Partial<User> = {}): Promise<User> {
  const repository = dataSource.getRepository(User);
  return repository.save(repository.create({ externalId: uniqueSub(), displayName: 'Factory Person', role: 'user', ...overrides }));
}

export async function createRoom(dataSource: DataSource, overrides: Partial<Room> = {}): Promise<Room> {
  const repository = dataSource.getRepository(Room);
  const slug = overrides.slug ?? `room-${randomUUID().slice(0, 8)}`;
  return repository.save(repository.create({ slug, name: `Room ${slug}`, description: 'A test room', kind: 'coaching', ...overrides }));
}
