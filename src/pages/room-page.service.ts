import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { PersonalisationService } from '../insights/personalisation.service.js';
import { NoAgentConfiguredError, RoomNotFoundError } from '../rooms/rooms.errors.js';
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
    private readonly personalisation: PersonalisationService,
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
    let opened: Awaited<ReturnType<ConversationsService['openRoomPage']>>;
    try {
      opened = await this.conversations.openRoomPage(user, slug);
    } catch (error) {
      if (error instanceof NoAgentConfiguredError) return this.roomWithoutAgent(user, slug, error.message);
      throw error;
    }
    const { room, session, agentId, signedUrl, dynamicVariables } = opened;
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
      setupNotice: null,
    };
  }

  /**
   * A fresh install has no agent yet: the page still opens (room, last summary, action items) and says what to
   * configure, instead of an error page; no session is created, since no call can start.
   */
  private async roomWithoutAgent(user: User, slug: string, notice: string) {
    const [room, variables] = await Promise.all([this.rooms.findBySlug(slug), this.personalisation.variablesFor(user)]);
    if (!room) throw new RoomNotFoundError(`"${slug}"`);
    return {
      title: room.name,
      user: { displayName: user.displayName },
      room: { name: room.name, description: room.description },
      conversationId: null,
      widget: null,
      lastSummary: variables.last_conversation_summary,
      actionItems: actionItemsFrom(variables.open_action_items),
      setupNotice: notice,
    };
  }
}
