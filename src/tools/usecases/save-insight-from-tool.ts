import { Injectable } from '@nestjs/common';
import { UserInsightsService } from '../../insights/user-insights.service.js';
import type { SaveInsightToolDto } from '../dto/tool-bodies.dto.js';
import type { ToolCaller } from '../tool-caller.js';

/** `POST /api/tools/save-insight`: a `user_insights` row (source `tool`) linked to the caller's session. */
@Injectable()
export class SaveInsightFromTool {
  constructor(private readonly insights: UserInsightsService) {}

  async execute({ user, session }: ToolCaller, body: SaveInsightToolDto): Promise<{ saved: true; id: string }> {
    const { id } = await this.insights.recordToolInsight({
      userId: user.id,
      sessionId: session.id,
      conversationId: session.elevenlabsConversationId,
      type: body.type,
      content: body.content.trim(),
    });
    return { saved: true, id };
  }
}
