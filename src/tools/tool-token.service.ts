import { type KeyObject, createHmac, createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { JwtKeyProvider } from '../auth/jwt-key.provider.js';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** Claims of a `secret__tool_token`. */
export interface ToolTokenClaims {
  /** users.id (the database uuid, not the identity provider's sub). */
  sub: string;
  /** conversation_sessions.id */
  sid: string;
  scope: 'tool';
}

export const TOOL_TOKEN_AUDIENCE = 'convai-rooms:tools';
export const TOOL_TOKEN_TTL_SECONDS = 2 * 60 * 60;

/**
 * The short-lived token the agent sends back to our tools (`Authorization: Bearer {{secret__tool_token}}`).
 * HS256 JWT, claims `{ sub: users.id, sid: conversation_sessions.id, scope: 'tool', aud: 'convai-rooms:tools' }`,
 * 2 h expiry. The key is derived from the app's HS secret (HMAC-SHA256(secret, "convai-rooms tool token v1")),
 * so a tool token is never accepted as a sign-in token by the global guard, and vice versa.
 * Issue and expiry times come from the Clock, so tests that move time move token lifetimes with it.
 */
@Injectable()
export class ToolTokenService {
  /** A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM key on every call. */
  private readonly key: KeyObject;

  constructor(
    keys: JwtKeyProvider,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    const base = keys.hsSecret ?? config.elevenlabs.webhookSecret;
    if (!base) throw new Error('tool tokens need AUTH_JWT_SECRET (or ELEVENLABS_WEBHOOK_SECRET) to derive their key');
    this.key = createSecretKey(createHmac('sha256', base).update('convai-rooms tool token v1').digest());
  }

  sign(userId: string, sessionId: string, ttlSeconds = TOOL_TOKEN_TTL_SECONDS): string {
    const claims: ToolTokenClaims & { iat: number } = { sub: userId, sid: sessionId, scope: 'tool', iat: this.nowSeconds() };
    return jwt.sign(claims, this.key, { algorithm: 'HS256', expiresIn: ttlSeconds, audience: TOOL_TOKEN_AUDIENCE });
  }

  /** Throws (jsonwebtoken errors) when the token is bad, expired or not a tool token. */
  verify(token: string): ToolTokenClaims {
    const payload = jwt.verify(token, this.key, { algorithms: ['HS256'], audience: TOOL_TOKEN_AUDIENCE, clockTimestamp: this.nowSeconds() });
    if (typeof payload === 'string' || payload.scope !== 'tool' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
      throw new jwt.JsonWebTokenError('not a tool token');
    }
    return { sub: payload.sub, sid: payload.sid, scope: 'tool' };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.nowMs() / 1000);
  }
}
