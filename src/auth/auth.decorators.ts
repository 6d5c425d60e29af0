import { type ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { User, UserRole } from '../users/entities/user.entity.js';

export const IS_PUBLIC = 'auth:isPublic';
export const REQUIRED_ROLES = 'auth:roles';

/** No token needed (health, webhooks with their own signature, tools with their own token). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only tokens with one of these roles. */
export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The signed-in user (created or updated from the token's claims). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): User => context.switchToHttp().getRequest().user);
