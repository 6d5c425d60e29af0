import { Init1795311191405 } from './1795311191405-Init.js';
import { SessionAgentId1795311693398 } from './1795311693398-SessionAgentId.js';
import { WebhookSourceAndAudio1795311709184 } from './1795311709184-WebhookSourceAndAudio.js';
import { DashboardRollups1796328484803 } from './1796328484803-DashboardRollups.js';
import { InsightsActionItems1796328507611 } from './1796328507611-InsightsActionItems.js';
import { SchedulingDispatch1796328517200 } from './1796328517200-SchedulingDispatch.js';
import { RealtimeOutbox1796328677488 } from './1796328677488-RealtimeOutbox.js';
import { RollupShards1796366516212 } from './1796366516212-RollupShards.js';
import { ProfileSnapshotVersion1796412876352 } from './1796412876352-ProfileSnapshotVersion.js';
import { WebhookEventsDueIndex1796415548523 } from './1796415548523-WebhookEventsDueIndex.js';
import { WebhookEventsCallerHash1796650959113 } from './1796650959113-WebhookEventsCallerHash.js';
import { MessagesOneSessionIndex1796651716760 } from './1796651716760-MessagesOneSessionIndex.js';
// Every migration, in order. `npm run migration:generate -- Name` appends new ones here.
export const MIGRATIONS: Function[] = [Init1795311191405, SessionAgentId1795311693398, WebhookSourceAndAudio1795311709184, DashboardRollups1796328484803, InsightsActionItems1796328507611, SchedulingDispatch1796328517200, RealtimeOutbox1796328677488, RollupShards1796366516212, ProfileSnapshotVersion1796412876352, WebhookEventsDueIndex1796415548523, WebhookEventsCallerHash1796650959113, MessagesOneSessionIndex1796651716760];
