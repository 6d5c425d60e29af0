import { Injectable } from '@nestjs/common';
import { ConversationsService } from '../../conversations/conversations.service.js';
import { type UserHistory, SUMMARY_MAX_CHARS, compactHistory } from '../compact-history.js';
import { HISTORY_DEFAULT_LIMIT } from '../dto/tool-bodies.dto.js';
import type { ToolCaller } from '../tool-caller.js';

/** `POST /api/tools/user-history`: what the agent should know about the person, under 4 KB. */
@Injectable()
export class GetUserHistory {
  constructor(private readonly conversations: ConversationsService) {}

  async execute(caller: ToolCaller, limit = HISTORY_DEFAULT_LIMIT): Promise<UserHistory> {
    // SQL cuts each summary a little above the final cap, so a long transcript summary is never read whole.
    const conversations = await this.conversations.recentSummariesFor(caller.user.id, limit, SUMMARY_MAX_CHARS + 1);
    return compactHistory({ conversations, goals: [], openActionItems: [] });
  }
}
