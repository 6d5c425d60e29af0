import { Inject, Injectable } from '@nestjs/common';
import { type KeyObject, createSecretKey } from 'node:crypto';
import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { resolveJwtSecret } from './jwt-secret.js';

/** Why a token was refused, in words a person can act on. */
export class InvalidTokenError extends Error {}

/** Verification keys: HS256 with the shared secret, RS256 from the identity provider's JWKS. */
@Injectable()
export class JwtKeyProvider {
  readonly hsSecret: string | undefined;
  /** The HS secret as a KeyObject: given a string, jsonwebtoken tries (and fails) to parse a PEM key on every verify. */
  private readonly hsKey: KeyObject | undefined;
  private readonly jwks: jwksRsa.JwksClient | undefined;
  readonly algorithms: Algorithm[];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.hsSecret = resolveJwtSecret(config);
    this.hsKey = this.hsSecret ? createSecretKey(Buffer.from(this.hsSecret)) : undefined;
    this.jwks = config.auth.jwksUrl ? jwksRsa({ jwksUri: config.auth.jwksUrl, cache: true, rateLimit: true }) : undefined;
    this.algorithms = [...(this.hsSecret ? (['HS256'] as const) : []), ...(this.jwks ? (['RS256'] as const) : [])];
  }

  get verifyOptions(): { algorithms: Algorithm[]; issuer?: string; audience?: string } {
    return { algorithms: this.algorithms, issuer: this.config.auth.issuer, audience: this.config.auth.audience };
  }

  /** The key for a token, chosen by its header (alg, kid). */
  async keyFor(rawToken: string): Promise<string | KeyObject> {
    const decoded = jwt.decode(rawToken, { complete: true });
    if (!decoded || typeof decoded === 'string') throw new InvalidTokenError('malformed token');
    if (decoded.header.alg === 'HS256' && this.hsKey) return this.hsKey;
    if (decoded.header.alg === 'RS256' && this.jwks) {
      try {
        return (await this.jwks.getSigningKey(decoded.header.kid)).getPublicKey();
      } catch {
        throw new InvalidTokenError('token signed with an unknown key');
      }
    }
    throw new InvalidTokenError(`tokens signed with ${decoded.header.alg} are not accepted`);
  }

  /** Verifies a token outside passport (page sign-in, WebSocket handshake). */
  async verify(rawToken: string): Promise<JwtPayload & { sub: string }> {
    const key = await this.keyFor(rawToken);
    let payload: string | JwtPayload;
    try {
      payload = jwt.verify(rawToken, key, this.verifyOptions);
    } catch (error) {
      throw new InvalidTokenError(describeJwtError(error));
    }
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || !payload.sub) {
      throw new InvalidTokenError('token has no subject (sub)');
    }
    assertExpiry(payload);
    return payload as JwtPayload & { sub: string };
  }
}

/** A token without `exp` would be valid forever if it leaked: refused, saying so. */
export function assertExpiry(payload: Record<string, unknown>): void {
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
    throw new InvalidTokenError('token has no expiry (exp): issue tokens with an expiry, e.g. npm run token -- --expires 30d');
  }
}

export function describeJwtError(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'token expired';
  if (error instanceof jwt.NotBeforeError) return 'token not yet valid';
  if (error instanceof jwt.JsonWebTokenError) {
    if (error.message === 'invalid signature') return 'token signature is invalid (signed with another key?)';
    if (error.message.startsWith('jwt malformed') || error.message === 'invalid token') return 'malformed token';
    return `invalid token: ${error.message.replace(/^jwt /, '')}`;
  }
  if (error instanceof InvalidTokenError) return error.message;
  return 'invalid token';
}
