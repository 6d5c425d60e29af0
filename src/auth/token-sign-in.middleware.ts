import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AddressRateLimiter } from '../rate-limits/address-rate-limiter.js';
import { tooManyRequests } from '../rate-limits/rate-limit.guard.js';
import { JwtKeyProvider } from './jwt-key.provider.js';
import { ACCESS_TOKEN_COOKIE } from './jwt.strategy.js';

/**
 * Pages: `?token=JWT` becomes the HttpOnly `access_token` cookie and the browser is redirected to the
 * clean URL (so the token leaves the address bar and history). A bad token falls through to the 401 page.
 */
@Injectable()
export class TokenSignInMiddleware implements NestMiddleware {
  constructor(
    private readonly keys: JwtKeyProvider,
    private readonly limiter: AddressRateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const token = request.method === 'GET' ? request.query.token : undefined;
    if (typeof token !== 'string' || !token) return next();
    // Per client address: a middleware, so the route guards have not run; the filter renders the 429.
    const retryAfter = await this.limiter.hit('tokenSignIn', request.ip ?? request.socket.remoteAddress);
    if (retryAfter) {
      response.setHeader('Retry-After', String(retryAfter));
      throw tooManyRequests(retryAfter);
    }
    let expiresAt: number | undefined;
    try {
      expiresAt = (await this.keys.verify(token)).exp;
    } catch {
      // Leave the bad token out of the cookie; the page guard renders the 401 page with how to get in.
      response.clearCookie(ACCESS_TOKEN_COOKIE, { path: '/' });
      request.headers.authorization = `Bearer ${token}`;
      return next();
    }
    response.cookie(ACCESS_TOKEN_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.isProduction,
      path: '/',
      ...(expiresAt ? { expires: new Date(expiresAt * 1000) } : {}),
    });
    const clean = new URL(request.originalUrl, 'http://placeholder');
    clean.searchParams.delete('token');
    response.redirect(303, clean.pathname + clean.search);
  }
}
