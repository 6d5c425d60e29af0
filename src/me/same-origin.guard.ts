import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isSameOriginRequest } from './same-origin.js';

/** Refuses a page form POST sent from another site (CSRF), beside the SameSite=Lax sign-in cookie. */
@Injectable()
export class SameOriginGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const headers = { origin: request.headers.origin, referer: request.headers.referer, host: request.headers.host };
    if (isSameOriginRequest(headers, request.protocol, this.config.publicUrl)) return true;
    throw new ForbiddenException('this form must be sent from this site (Origin or Referer of another site, or neither)');
  }
}
