import { IANAZone } from 'luxon';
import { toE164 } from '../users/users.service.js';
import { InvalidTaskFieldError } from './scheduling.errors.js';

/** Grace for clocks a little apart: a due time this far in the past still counts as "now". */
export const DUE_TIME_SKEW_MS = 60_000;
export const MAX_ATTEMPTS_LIMIT = 10;
export const DEFAULT_MAX_ATTEMPTS = 3;

export function requirePhoneNumber(field: string, value: unknown): string {
  const e164 = toE164(value);
  if (!e164) throw new InvalidTaskFieldError(field, `must be a phone number in international format (E.164, e.g. +14155550100), got ${JSON.stringify(value)}`);
  return e164;
}

export function requireFutureTime(field: string, value: unknown, now: Date): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new InvalidTaskFieldError(field, 'must be an ISO 8601 date-time, e.g. 2030-01-31T09:00:00Z');
  if (date.getTime() < now.getTime() - DUE_TIME_SKEW_MS) throw new InvalidTaskFieldError(field, `must be in the future (now is ${now.toISOString()})`);
  return date;
}

export function optionalZone(field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !IANAZone.isValidZone(value)) throw new InvalidTaskFieldError(field, `must be an IANA time zone such as Europe/Berlin, got ${JSON.stringify(value)}`);
  return value;
}

export function requireMaxAttempts(field: string, value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_MAX_ATTEMPTS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
    throw new InvalidTaskFieldError(field, `must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  return value;
}

export function optionalReason(field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new InvalidTaskFieldError(field, 'must be a string');
  if (value.length > 2000) throw new InvalidTaskFieldError(field, 'must be at most 2000 characters');
  return value.trim();
}
