import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { InvalidTokenError, describeJwtError } from './jwt-key.provider.js';
import { IS_PUBLIC } from './auth.decorators.js';

/** Global: every route needs a valid token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    // Anything but a token problem (e.g. the database failing while loading the user) is not a 401.
    if (error && !(error instanceof InvalidTokenError)) throw error;
    if (user && !error) return user;
    const reason = error ?? info;
    throw new UnauthorizedException(
      reason instanceof Error && reason.message === 'No auth token' ? 'missing token: send Authorization: Bearer <JWT>' : describeJwtError(reason),
    );
  }
}
