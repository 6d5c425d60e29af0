import { type ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import { SkipThrottle, ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail, normalizeIp } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { RATE_LIMIT_NAMES, type RateLimitName } from '../config/app-config.js';
import { type ToolRequest, toolTokenFrom } from '../tools/tool-caller.js';

/** The 429 of every limit, in the project's error shape; the thrower sets `Retry-After` to the same seconds. */
export function tooManyRequests(retryAfterSeconds: number): ThrottlerException {
  return new ThrottlerException(`too many requests: try again in ${retryAfterSeconds} s`);
}

/** Who a hit counts against when only the connection is known (sign-in, WebSocket handshake, fallback). */
export function addressTracker(address: string | undefined): string {
  return `ip:${address ? normalizeIp(address) : 'unknown'}`;
}

/** One storage key per limit and caller, shared by every route the limit is applied to (the three tools). */
export function rateLimitKey(name: string, tracker: string): string {
  return `${name}:${tracker}`;
}

/**
 * The library's guard, counting per what the request carries once the auth guards have run: the tool token
 * (hashed: a raw token never becomes a key), else the signed-in user, else the client address.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const request = req as Request & ToolRequest & { user?: { id?: string } };
    const token = request.toolCaller ? toolTokenFrom(request) : null;
    if (token) return `token:${createHash('sha256').update(token).digest('base64url')}`;
    if (request.user?.id) return `user:${request.user.id}`;
    return addressTracker(request.ip);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return rateLimitKey(name, tracker);
  }

  // The library would send `Retry-After-<throttler name>` for named throttlers, which clients do not read.
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(detail.timeToBlockExpire));
    throw tooManyRequests(detail.timeToBlockExpire);
  }
}

/** Throttles a route with one named limit, skipping the others; applied per route, never as a global guard. */
export function RateLimit(name: RateLimitName) {
  const others = Object.fromEntries(RATE_LIMIT_NAMES.filter((other) => other !== name).map((other) => [other, true]));
  return applyDecorators(SkipThrottle(others), UseGuards(RateLimitGuard));
}
