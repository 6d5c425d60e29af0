import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { RateLimitName } from '../config/app-config.js';
import { RateLimiter, TooManyRequestsError } from './rate-limiter.js';

const RATE_LIMIT = 'convai:rate-limit';

/** What a limit counts per: the signed-in user (set by the global JWT guard) or the tool token the caller sent. */
export type RateLimitSubject = 'user' | 'toolToken';

interface RateLimitRule {
  name: RateLimitName;
  per: RateLimitSubject;
}

/** The key a request counts against; falls back to the client address when the subject is absent. */
export function rateLimitKey(request: Request, per: RateLimitSubject): string {
  if (per === 'user') {
    const user = (request as Request & { user?: { id?: string } }).user;
    if (user?.id) return `user:${user.id}`;
  } else {
    const header = request.header('x-convai-tool-token')?.trim();
    const token = header || /^Bearer\s+(\S+)\s*$/i.exec(request.header('authorization') ?? '')?.[1];
    if (token) return `token:${token}`;
  }
  return `ip:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
}

/** Answers 429 with `Retry-After` once the caller used up the named limit. Runs after the auth guards. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get<RateLimitRule | undefined>(RATE_LIMIT, context.getHandler());
    if (!rule) return true;
    const http = context.switchToHttp();
    const verdict = await this.limiter.hit(rule.name, rateLimitKey(http.getRequest<Request>(), rule.per));
    if (verdict.allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(verdict.retryAfterSeconds));
    throw new TooManyRequestsError(verdict.retryAfterSeconds);
  }
}

/** Throttles one route with the named limit (only where applied: never a global guard on the webhook path). */
export function RateLimit(name: RateLimitName, per: RateLimitSubject) {
  return applyDecorators(SetMetadata(RATE_LIMIT, { name, per } satisfies RateLimitRule), UseGuards(RateLimitGuard));
}
