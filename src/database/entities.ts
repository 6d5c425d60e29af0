import { ConversationMessage } from '../conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../conversations/entities/conversation-session.entity.js';
import { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import { ActivityEvent } from '../dashboard/entities/activity-event.entity.js';
import { ActionItem } from '../insights/entities/action-item.entity.js';
import { CallCount, CallRollup, CallRollupDaily } from '../dashboard/entities/call-rollup.entity.js';
import { UserInsight } from '../insights/entities/user-insight.entity.js';
import { UserProfileSnapshot } from '../insights/entities/user-profile-snapshot.entity.js';
import { RealtimeOutbox } from '../realtime/entities/realtime-outbox.entity.js';
import { Room } from '../rooms/entities/room.entity.js';
import { CallAttempt } from '../scheduling/entities/call-attempt.entity.js';
import { CallbackTask } from '../scheduling/entities/callback-task.entity.js';
import { ScheduledCheckIn } from '../scheduling/entities/scheduled-check-in.entity.js';
import { Setting } from '../settings/entities/setting.entity.js';
import { User } from '../users/entities/user.entity.js';
import { ConversationAudio } from '../webhooks/entities/conversation-audio.entity.js';
import { WebhookEvent } from '../webhooks/entities/webhook-event.entity.js';

/**
 * Every entity, listed for the TypeORM CLI (ormconfig.ts) and the app. Explicit rather than a glob:
 * globs would load compiled .js in the app but nothing under ts-jest.
 */
export const ENTITIES = [
  User,
  Room,
  ConversationSession,
  ConversationMessage,
  ConversationSummary,
  UserInsight,
  ActionItem,
  UserProfileSnapshot,
  WebhookEvent,
  ConversationAudio,
  ActivityEvent,
  CallRollup,
  CallRollupDaily,
  CallCount,
  CallbackTask,
  ScheduledCheckIn,
  CallAttempt,
  Setting,
  RealtimeOutbox,
];
