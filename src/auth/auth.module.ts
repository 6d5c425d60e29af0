import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { UsersModule } from '../users/users.module.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtKeyProvider } from './jwt-key.provider.js';
import { JwtStrategy } from './jwt.strategy.js';
import { RolesGuard } from './roles.guard.js';
import { TokenSignInMiddleware } from './token-sign-in.middleware.js';

@Module({
  imports: [PassportModule, UsersModule],
  providers: [
    JwtKeyProvider,
    JwtStrategy,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [JwtKeyProvider],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TokenSignInMiddleware).exclude({ path: 'api/*path', method: RequestMethod.ALL }).forRoutes('*');
  }
}
