import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { InvalidTokenError, JwtKeyProvider, assertExpiry, describeJwtError } from './jwt-key.provider.js';

export const ACCESS_TOKEN_COOKIE = 'access_token';

export function tokenFromCookie(request: Request): string | null {
  const cookies = (request as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[ACCESS_TOKEN_COOKIE] ?? null;
}

/**
 * Bearer header first (API clients), then the `access_token` cookie (pages, and the room page's own
 * fetch calls; the cookie is SameSite=Lax, so other sites cannot make a browser send it with a POST).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: JwtKeyProvider,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderAsBearerToken(), tokenFromCookie]),
      ...keys.verifyOptions,
      secretOrKeyProvider: (_request: Request, rawJwt: string, done: (error: unknown, key?: string) => void) => {
        keys.keyFor(rawJwt).then(
          // A KeyObject for HS256 (jsonwebtoken accepts it; passport-jwt's types only name string | Buffer).
          (key) => done(null, key as string),
          (error: unknown) => done(new InvalidTokenError(describeJwtError(error))),
        );
      },
    });
  }

  async validate(payload: { sub?: unknown } & Record<string, unknown>): Promise<User> {
    if (typeof payload.sub !== 'string' || !payload.sub) throw new InvalidTokenError('token has no subject (sub)');
    assertExpiry(payload);
    return this.users.upsertFromClaims({ ...payload, sub: payload.sub });
  }
}
