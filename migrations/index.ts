import { Init1795311191405 } from './1795311191405-Init.js';
import { SessionAgentId1795311693398 } from './1795311693398-SessionAgentId.js';
import { WebhookSourceAndAudio1795311709184 } from './1795311709184-WebhookSourceAndAudio.js';
import { DashboardRollups1796328484803 } from './1796328484803-DashboardRollups.js';
import { SchedulingDispatch1796328517200 } from './1796328517200-SchedulingDispatch.js';
// Every migration, in order. `npm run migration:generate -- Name` appends new ones here.
export const MIGRATIONS: Function[] = [Init1795311191405, SessionAgentId1795311693398, WebhookSourceAndAudio1795311709184, DashboardRollups1796328484803, SchedulingDispatch1796328517200];
