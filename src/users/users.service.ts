import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { IANAZone } from 'luxon';
import type { EntityManager, Repository } from 'typeorm';
import { type OnboardingPhase, type UserRole, User } from './entities/user.entity.js';

/** The identity claims we read from a token (OpenID Connect names). */
export interface IdentityClaims {
  sub: string;
  name?: unknown;
  email?: unknown;
  phone_number?: unknown;
  role?: unknown;
  zoneinfo?: unknown;
}

/**
 * E.164 form of an international number, or null. `isPossible()` (length for the country code) rather than
 * `isValid()`: a caller in a range newer than libphonenumber's metadata, or a +1 555 test number, must still
 * be stored and matched, not silently dropped.
 */
export function toE164(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const parsed = parsePhoneNumberFromString(value.trim());
  return parsed?.isPossible() ? parsed.number : null;
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /**
   * Creates the user on first sight of a token, updates it when the claims changed; one SELECT otherwise.
   * Claims that are absent leave the stored value alone; an invalid phone or time zone is ignored.
   */
  async upsertFromClaims(claims: IdentityClaims): Promise<User> {
    const wanted: Partial<User> = { externalId: claims.sub };
    if (typeof claims.name === 'string') wanted.displayName = claims.name.slice(0, 2000);
    if (typeof claims.email === 'string') wanted.email = claims.email.slice(0, 320);
    const phone = toE164(claims.phone_number);
    if (phone) wanted.phoneNumber = phone;
    wanted.role = (claims.role === 'admin' ? 'admin' : 'user') satisfies UserRole;
    if (typeof claims.zoneinfo === 'string' && IANAZone.isValidZone(claims.zoneinfo)) wanted.timezone = claims.zoneinfo;

    const existing = await this.users.findOneBy({ externalId: claims.sub });
    if (existing && (Object.keys(wanted) as Array<keyof User>).every((key) => existing[key] === wanted[key])) {
      return existing;
    }
    // Concurrent first requests of one person race to insert: let the unique index decide.
    await this.users
      .createQueryBuilder()
      .insert()
      .values({ displayName: claims.sub, ...wanted })
      .orUpdate(
        Object.keys(wanted).filter((key) => key !== 'externalId').map((key) => this.users.metadata.findColumnWithPropertyName(key)!.databaseName),
        ['external_id'],
      )
      .execute();
    return this.users.findOneByOrFail({ externalId: claims.sub });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByExternalId(externalId: string): Promise<User | null> {
    return this.users.findOneBy({ externalId });
  }

  findByPhoneNumber(phoneNumber: string): Promise<User | null> {
    const e164 = toE164(phoneNumber);
    return e164 ? this.users.findOne({ where: { phoneNumber: e164 }, order: { updatedAt: 'DESC' } }) : Promise.resolve(null);
  }

  updateOnboardingPhase(id: string, onboardingPhase: User['onboardingPhase']): Promise<unknown> {
    return this.users.update({ id }, { onboardingPhase });
  }

  /** Moves the person from one onboarding phase to the next, only if still in `from` (so exactly once); true when it moved. */
  async advanceOnboardingPhase(id: string, from: OnboardingPhase, to: OnboardingPhase, manager?: EntityManager): Promise<boolean> {
    const users = manager ? manager.getRepository(User) : this.users;
    const result = await users.update({ id, onboardingPhase: from }, { onboardingPhase: to });
    return (result.affected ?? 0) > 0;
  }
}
