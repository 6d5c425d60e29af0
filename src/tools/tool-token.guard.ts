import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import { ConversationsService } from '../conversations/conversations.service.js';
import { UsersService } from '../users/users.service.js';
import { type ToolRequest, toolTokenFrom } from './tool-caller.js';
import { TOOL_TOKEN_HEADER, TOOL_TOKEN_VARIABLE } from './tool-definitions.js';
import { ToolTokenService } from './tool-token.service.js';

/**
 * Auth of `/api/tools/*` (ElevenLabs webhook tools are not HMAC-signed): the session's `secret__tool_token`,
 * scoped to one user and one session. The session must still exist and belong to the token's user.
 * Everything else (missing, expired, forged, a sign-in JWT) is 401.
 */
@Injectable()
export class ToolTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: ToolTokenService,
    private readonly users: UsersService,
    private readonly conversations: ConversationsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & ToolRequest>();
    const token = toolTokenFrom(request);
    if (!token) {
      throw new UnauthorizedException(`missing tool token: send the header ${TOOL_TOKEN_HEADER} bound to {{${TOOL_TOKEN_VARIABLE}}} (or Authorization: Bearer)`);
    }
    let claims: ReturnType<ToolTokenService['verify']>;
    try {
      claims = this.tokens.verify(token);
    } catch (error) {
      throw new UnauthorizedException(
        error instanceof jwt.TokenExpiredError
          ? 'the tool token has expired: it lasts 2 hours from the start of the conversation; a new conversation gets a new one'
          : 'the tool token is not valid: use the secret__tool_token of the current conversation',
      );
    }
    const [user, session] = await Promise.all([this.users.findById(claims.sub), this.conversations.findSessionOfUser(claims.sid, claims.sub)]);
    if (!user || !session) throw new UnauthorizedException('the tool token names a conversation that no longer exists');
    request.toolCaller = { user, session };
    return true;
  }
}
