import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { PersonalisationService } from '../insights/personalisation.service.js';
import { NoAgentConfiguredError, RoomNotFoundError } from '../rooms/rooms.errors.js';
import { RoomsService } from '../rooms/rooms.service.js';
import { UserInsightsService } from '../insights/user-insights.service.js';
import type { RoomKind } from '../rooms/entities/room.entity.js';
import type { OnboardingPhase, User } from '../users/entities/user.entity.js';

const RECENT_CONVERSATIONS = 10;

/** Where each onboarding phase leads first: its own kind of room, then the next phases', then the earlier ones. */
export const ROOM_ORDER_BY_PHASE: Record<OnboardingPhase, RoomKind[]> = {
  goal_discovery: ['goal_discovery', 'coaching_style_discovery', 'coaching'],
  coaching_style_discovery: ['coaching_style_discovery', 'coaching', 'goal_discovery'],
  coaching: ['coaching', 'coaching_style_discovery', 'goal_discovery'],
};

const START_HERE_LABELS: Record<OnboardingPhase, string> = {
  goal_discovery: 'Start here: talk about what you want to work on',
  coaching_style_discovery: 'Next step: find the coaching style that suits you',
  coaching: 'Continue coaching',
};

/** The rooms in the order the person's onboarding phase leads through them (stable within a kind). */
export function orderRoomsForPhase<T extends { kind: RoomKind }>(rooms: readonly T[], phase: OnboardingPhase): T[] {
  const order = ROOM_ORDER_BY_PHASE[phase] ?? ROOM_ORDER_BY_PHASE.coaching;
  const rank = (room: T) => {
    const index = order.indexOf(room.kind);
    return index < 0 ? order.length : index;
  };
  return rooms.map((room, index) => ({ room, index })).sort((a, b) => rank(a.room) - rank(b.room) || a.index - b.index).map(({ room }) => room);
}

const ROOM_PAGE_ACTION_ITEMS = 10;

/** View models of the pages; the controller only renders them. */
@Injectable()
export class RoomPageService {
  constructor(
    private readonly rooms: RoomsService,
    private readonly conversations: ConversationsService,
    private readonly personalisation: PersonalisationService,
    private readonly insights: UserInsightsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async home(user: User) {
    const [rooms, conversations] = await Promise.all([this.rooms.findActiveRooms(), this.conversations.recentFor(user.id, RECENT_CONVERSATIONS)]);
    // Onboarding: the rooms of the person's current phase come first, the first of them offered as the next step.
    const ordered = orderRoomsForPhase(rooms, user.onboardingPhase);
    const next = ordered.find((room) => room.kind === user.onboardingPhase) ?? ordered[0] ?? null;
    return {
      title: 'Your rooms',
      user: { displayName: user.displayName, onboardingPhase: user.onboardingPhase },
      startHere: next ? { slug: next.slug, name: next.name, description: next.description, kind: next.kind, label: START_HERE_LABELS[user.onboardingPhase] } : null,
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
    // The real open items (ids, full text), read beside the session's creation.
    const actionItemsPending = this.insights.openActionItemsOf(user.id, ROOM_PAGE_ACTION_ITEMS);
    actionItemsPending.catch(() => undefined); // awaited below; never an unhandled rejection if the room fails first
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
      actionItems: await actionItemsPending,
      setupNotice: null,
    };
  }

  /**
   * A fresh install has no agent yet: the page still opens (room, last summary, action items) and says what to
   * configure, instead of an error page; no session is created, since no call can start.
   */
  private async roomWithoutAgent(user: User, slug: string, notice: string) {
    const [room, variables, actionItems] = await Promise.all([
      this.rooms.findBySlug(slug),
      this.personalisation.variablesFor(user),
      this.insights.openActionItemsOf(user.id, ROOM_PAGE_ACTION_ITEMS),
    ]);
    if (!room) throw new RoomNotFoundError(`"${slug}"`);
    return {
      title: room.name,
      user: { displayName: user.displayName },
      room: { name: room.name, description: room.description },
      conversationId: null,
      widget: null,
      lastSummary: variables.last_conversation_summary,
      actionItems,
      setupNotice: notice,
    };
  }
}
