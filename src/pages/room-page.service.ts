import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { RoomsService } from '../rooms/rooms.service.js';
import type { User } from '../users/entities/user.entity.js';

const RECENT_CONVERSATIONS = 10;

/** Splits the `open_action_items` variable (one item per line) into a list for display. */
export function actionItemsFrom(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean);
}

/** View models of the pages; the controller only renders them. */
@Injectable()
export class RoomPageService {
  constructor(
    private readonly rooms: RoomsService,
    private readonly conversations: ConversationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async home(user: User) {
    const [rooms, conversations] = await Promise.all([this.rooms.findActiveRooms(), this.conversations.recentFor(user.id, RECENT_CONVERSATIONS)]);
    // Onboarding: the rooms of the person's current phase come first and are marked.
    const ordered = [...rooms].sort((a, b) => Number(b.kind === user.onboardingPhase) - Number(a.kind === user.onboardingPhase));
    return {
      title: 'Your rooms',
      user: { displayName: user.displayName, onboardingPhase: user.onboardingPhase },
      rooms: ordered.map((room) => ({
        slug: room.slug,
        name: room.name,
        description: room.description,
        kind: room.kind,
        recommended: room.kind === user.onboardingPhase,
      })),
      conversations: conversations.map((c) => ({
        roomName: c.room?.name ?? '(no room)',
        roomSlug: c.room?.slug ?? null,
        status: c.status,
        startedAt: c.startedAt,
      })),
    };
  }

  async room(user: User, slug: string) {
    const { room, session, agentId, signedUrl, dynamicVariables } = await this.conversations.openRoomPage(user, slug);
    return {
      title: room.name,
      user: { displayName: user.displayName },
      room: { name: room.name, description: room.description },
      conversationId: session.id,
      widget: {
        scriptUrl: this.config.widgetScriptUrl,
        // agent-id wins over signed-url in the widget: an auth-enabled agent gets the signed URL alone.
        agentId: signedUrl ? null : agentId,
        signedUrl,
        dynamicVariables: JSON.stringify(dynamicVariables),
      },
      lastSummary: dynamicVariables.last_conversation_summary,
      actionItems: actionItemsFrom(dynamicVariables.open_action_items),
    };
  }
}
