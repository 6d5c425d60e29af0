import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { type Page, fetchPage } from '../http/page-cursor.js';
import type { PageQueryDto } from '../http/page-query.dto.js';
import { listOfStrings, normalizeActionItemText, scalarValue } from './data-collection-values.js';
import { ActionItem } from './entities/action-item.entity.js';
import { UserInsight } from './entities/user-insight.entity.js';
import { ActionItemNotFoundError } from './insights.errors.js';
import { ProfileService } from './profile.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tool insight types (as the agent may name them) → the profile list they feed. */
const CANONICAL_TOOL_TYPES: Record<string, string> = {
  goal: 'goals',
  goals: 'goals',
  action_item: 'action_items',
  action_items: 'action_items',
  challenge: 'challenges',
  challenges: 'challenges',
};

export function canonicalToolInsightType(type: string): string {
  const key = type.trim().toLowerCase().replace(/[\s-]+/g, '_').slice(0, 64);
  return CANONICAL_TOOL_TYPES[key] ?? key;
}

export interface ToolInsightInput {
  userId: string;
  sessionId: string | null;
  conversationId: string | null;
  type: string;
  content: string;
}

export interface ActionItemResponse {
  id: string;
  text: string;
  status: 'open' | 'done';
  conversationId: string | null;
  createdAt: string;
  doneAt: string | null;
}

export interface InsightResponse {
  id: string;
  type: string;
  data: Record<string, unknown>;
  source: string;
  conversationId: string | null;
  sessionId: string | null;
  createdAt: string;
}

export const toActionItemResponse = (item: ActionItem): ActionItemResponse => ({
  id: item.id,
  text: item.text,
  status: item.status,
  conversationId: item.conversationId,
  createdAt: item.createdAt.toISOString(),
  doneAt: item.doneAt ? item.doneAt.toISOString() : null,
});

export const toInsightResponse = (insight: UserInsight): InsightResponse => ({
  id: insight.id,
  type: insight.insightType,
  data: insight.insightData,
  source: insight.source,
  conversationId: insight.conversationId,
  sessionId: insight.sessionId,
  createdAt: insight.createdAt.toISOString(),
});

/** Writes to a person's insights from outside a finished call (tools, the person), and the admin's insight list. */
@Injectable()
export class UserInsightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileService,
    private readonly clock: Clock,
    @InjectRepository(UserInsight) private readonly insights: Repository<UserInsight>,
    @InjectRepository(ActionItem) private readonly actionItems: Repository<ActionItem>,
  ) {}

  /**
   * A `user_insights` row saved mid-call by the agent (source `tool`, linked to the session), in the profile at
   * once: goal(s) → goals, challenge(s) → challenges, action_item(s) → also an open action item (de-duplicated
   * like extracted ones); any other type is kept under its own name and shown as a note.
   */
  async recordToolInsight(input: ToolInsightInput): Promise<{ id: string }> {
    const type = canonicalToolInsightType(input.type) || 'note';
    const listType = type === 'goals' || type === 'challenges' || type === 'action_items';
    const items = listType ? listOfStrings(input.content) : [];
    const data = listType ? { items: items.length ? items : [input.content.trim()] } : { value: scalarValue(input.content) ?? '' };
    return this.dataSource.transaction(async (manager) => {
      await this.profiles.lockPerson(input.userId, manager);
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO user_insights (user_id, insight_type, insight_data, conversation_id, source, session_id, created_at)
         VALUES ($1, $2, $3::jsonb, $4, 'tool', $5, $6) RETURNING id`,
        [input.userId, type, JSON.stringify(data), input.conversationId, input.sessionId, this.clock.now()],
      );
      if (type === 'action_items') {
        await this.openActionItems(manager, input.userId, (data as { items: string[] }).items, input.conversationId, input.sessionId);
      }
      await this.profiles.refreshSnapshot(input.userId, manager);
      return { id: row.id };
    });
  }

  /** PATCH /api/users/me/action-items/:id: marks the person's item done (or open again). */
  async setActionItemDone(userId: string, actionItemId: string, done: boolean): Promise<ActionItemResponse> {
    if (!UUID.test(actionItemId)) throw new ActionItemNotFoundError(actionItemId);
    return this.dataSource.transaction(async (manager) => {
      await this.profiles.lockPerson(userId, manager);
      const item = await manager.findOneBy(ActionItem, { id: actionItemId, userId });
      if (!item) throw new ActionItemNotFoundError(actionItemId);
      const wanted = done ? 'done' : 'open';
      if (item.status !== wanted) {
        item.status = wanted;
        item.doneAt = done ? this.clock.now() : null;
        await manager.update(ActionItem, { id: item.id, userId }, { status: item.status, doneAt: item.doneAt });
        await this.profiles.refreshSnapshot(userId, manager);
      }
      return toActionItemResponse(item);
    });
  }

  /** The person's open action items, newest first (room page). */
  async openActionItemsOf(userId: string, limit = 10): Promise<ActionItemResponse[]> {
    const items = await this.actionItems.find({ where: { userId, status: 'open' }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
    return items.map(toActionItemResponse);
  }

  /** GET /api/users/:id/insights (admin): every insight of the person, newest first, keyset-paged. */
  list(userId: string, query: PageQueryDto): Promise<Page<InsightResponse>> {
    const builder = this.insights.createQueryBuilder('insight').where('insight.user_id = :userId', { userId });
    return fetchPage(builder, { timeColumn: 'created_at', timeOf: (insight) => insight.createdAt }, query, toInsightResponse);
  }

  /** Opens items not seen before (same normalised text = same item); one statement. */
  private async openActionItems(manager: EntityManager, userId: string, texts: string[], conversationId: string | null, sessionId: string | null): Promise<void> {
    const rows = texts.map((text) => ({ text: text.slice(0, 1000), normalized: normalizeActionItemText(text) })).filter((row) => row.normalized);
    if (!rows.length) return;
    await manager.query(
      `INSERT INTO action_items (user_id, text, normalized_text, status, conversation_id, session_id)
       SELECT $1, r.text, r.normalized, 'open', $3, $4 FROM jsonb_to_recordset($2::jsonb) AS r(text text, normalized text)
       ON CONFLICT (user_id, normalized_text) DO NOTHING`,
      [userId, JSON.stringify(rows), conversationId, sessionId],
    );
  }
}
