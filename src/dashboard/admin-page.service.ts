import { Injectable } from '@nestjs/common';
import { CallsService } from '../conversations/calls.service.js';
import { CallbackStatsService } from '../scheduling/callback-stats.service.js';
import type { User } from '../users/entities/user.entity.js';
import { ConversationAudioService } from '../webhooks/conversation-audio.service.js';
import { WebhookEventsService } from '../webhooks/webhook-events.service.js';
import { ActivityService } from './activity.service.js';
import { toCallsFilter } from './calls-filter.js';
import { callsPerDayChart } from './calls-per-day-chart.js';
import { DashboardService } from './dashboard.service.js';
import type { CallsQueryDto, DashboardQueryDto } from './dto/dashboard-query.dto.js';
import { KPI_CARDS, formatKpi } from './kpi-cards.js';

export const CALL_OUTCOMES = ['resolved', 'escalated', 'callback_scheduled', 'unresolved', 'voicemail', 'abandoned', 'other'];
export const CALL_INTENTS = ['scheduling', 'cancellation', 'billing', 'technical_support', 'complaint', 'coaching', 'general_inquiry'];
export const CALL_SENTIMENTS = ['positive', 'neutral', 'negative'];

export type AdminPageQuery = DashboardQueryDto & CallsQueryDto;

/** What GET /admin and GET /admin/conversations/:id render, gathered from the modules that own each part. */
@Injectable()
export class AdminPageService {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly calls: CallsService,
    private readonly activity: ActivityService,
    private readonly callbacks: CallbackStatsService,
    private readonly webhookEvents: WebhookEventsService,
    private readonly audio: ConversationAudioService,
  ) {}

  async dashboardPage(user: User, query: AdminPageQuery) {
    const range = this.dashboard.range({ from: query.from, to: query.to, tz: query.tz }, user.timezone);
    const callFilters = { outcome: query.outcome, intent: query.intent, sentiment: query.sentiment, q: query.q };
    const [kpis, calls, failedWebhooks, failedCallbacks, activity] = await Promise.all([
      this.dashboard.summarise(range),
      this.calls.findPage(toCallsFilter({ ...callFilters, limit: query.limit ?? 20, cursor: query.cursor, tz: range.tz }, user.timezone)),
      this.webhookEvents.findPage({ status: 'failed', limit: 10 }),
      this.callbacks.findRecentFailed(10),
      this.activity.findPage({ limit: 20 }),
    ]);
    return {
      title: 'Dashboard',
      user,
      range,
      kpis,
      cards: KPI_CARDS.map((card) => ({ ...card, raw: kpis[card.key], value: formatKpi(kpis[card.key], card.format) })),
      chart: callsPerDayChart(kpis.callsPerDay),
      calls,
      callFilters,
      filterOptions: { outcomes: CALL_OUTCOMES, intents: CALL_INTENTS, sentiments: CALL_SENTIMENTS },
      failedWebhooks: failedWebhooks.items,
      failedCallbacks,
      activity: activity.items,
      formatTime: timeFormatter(range.tz),
    };
  }

  /** null when no call has this summary id. */
  async conversationPage(user: User, id: string) {
    const detail = await this.calls.findDetail(id);
    if (!detail) return null;
    const { summary, transcript } = detail;
    const [events, hasRecording] = await Promise.all([
      this.webhookEvents.findForConversation(summary.conversationId),
      this.audio.hasRecording(summary.conversationId),
    ]);
    return {
      title: summary.title ?? 'Call',
      user,
      call: summary,
      transcript,
      events,
      audioUrl: hasRecording ? `/api/conversations/${encodeURIComponent(summary.conversationId)}/audio` : null,
      formatTime: timeFormatter(user.timezone || 'UTC'),
    };
  }
}

function timeFormatter(tz: string): (value: Date | string | null) => string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }
  return (value) => (value ? format.format(new Date(value)).replace(',', '') : '');
}
