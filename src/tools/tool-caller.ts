import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { ConversationSession } from '../conversations/entities/conversation-session.entity.js';
import type { User } from '../users/entities/user.entity.js';
import { TOOL_TOKEN_HEADER } from './tool-definitions.js';

/** Who a tool call is for: the token's user and session, both checked by ToolTokenGuard. */
export interface ToolCaller {
  user: User;
  session: ConversationSession;
}

export interface ToolRequest {
  toolCaller?: ToolCaller;
}

/** The token from `X-Convai-Tool-Token` (what our definitions bind), else `Authorization: Bearer …`. */
export function toolTokenFrom(request: Request): string | null {
  const header = request.headers[TOOL_TOKEN_HEADER.toLowerCase()];
  const value = Array.isArray(header) ? header[0] : header;
  if (value?.trim()) return value.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? match[1] : null;
}

/** The caller ToolTokenGuard attached to the request. */
export const CurrentToolCaller = createParamDecorator((_: unknown, context: ExecutionContext): ToolCaller => {
  const caller = context.switchToHttp().getRequest<ToolRequest>().toolCaller;
  if (!caller) throw new Error('CurrentToolCaller used on a route without ToolTokenGuard');
  return caller;
});
