import { Injectable } from '@nestjs/common';
import { ConversationsService } from '../../conversations/conversations.service.js';
import { ProfileService } from '../../insights/profile.service.js';
import { type UserHistory, LIST_MAX_ITEMS, SUMMARY_MAX_CHARS, compactHistory } from '../compact-history.js';
import { HISTORY_DEFAULT_LIMIT } from '../dto/tool-bodies.dto.js';
import type { ToolCaller } from '../tool-caller.js';

/** `POST /api/tools/user-history`: what the agent should know about the person, under 4 KB. */
@Injectable()
export class GetUserHistory {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly profiles: ProfileService,
  ) {}

  async execute({ user }: ToolCaller, limit = HISTORY_DEFAULT_LIMIT): Promise<UserHistory> {
    const [conversations, profile] = await Promise.all([
      // SQL cuts each summary a little above the final cap, so a long summary is never read whole.
      this.conversations.recentSummariesFor(user.id, limit, SUMMARY_MAX_CHARS + 1),
      this.profiles.profileFor(user.id),
    ]);
    return compactHistory({
      conversations,
      goals: profile.goals,
      openActionItems: profile.openActionItems.slice(0, LIST_MAX_ITEMS).map((item) => item.text),
    });
  }
}
