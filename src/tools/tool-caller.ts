import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { ConversationSession } from '../conversations/entities/conversation-session.entity.js';
import type { User } from '../users/entities/user.entity.js';

/** Who a tool call is for: the token's user and session, both checked by ToolTokenGuard. */
export interface ToolCaller {
  user: User;
  session: ConversationSession;
}

export interface ToolRequest {
  toolCaller?: ToolCaller;
}

/** The caller ToolTokenGuard attached to the request. */
export const CurrentToolCaller = createParamDecorator((_: unknown, context: ExecutionContext): ToolCaller => {
  const caller = context.switchToHttp().getRequest<ToolRequest>().toolCaller;
  if (!caller) throw new Error('CurrentToolCaller used on a route without ToolTokenGuard');
  return caller;
});
