import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { type Page, fetchPage } from '../http/page-cursor.js';
import { type CallResponse, toCallResponse } from './call.mapper.js';
import { ConversationMessage } from './entities/conversation-message.entity.js';
import { ConversationSummary } from './entities/conversation-summary.entity.js';

/** Filters of GET /api/calls; `from`/`to` are instants (the caller resolves dates in its time zone). */
export interface CallsFilter {
  outcome?: string;
  intent?: string;
  sentiment?: string;
  roomId?: string;
  userId?: string;
  /** called_at >= from */
  from?: Date;
  /** called_at < to */
  to?: Date;
  /** PostgreSQL full-text query (websearch syntax) over title and summary */
  q?: string;
  limit?: number;
  cursor?: string;
}

/** The text the GIN index `IDX_conversation_summaries_fts` covers; queries must use this exact expression. */
const SEARCH_DOCUMENT = `to_tsvector('english', coalesce(call.title, '') || ' ' || coalesce(call.summary, ''))`;

export interface CallDetail {
  summary: ConversationSummary;
  transcript: Array<{ role: string; message: string; timeInCallSecs: number | null }>;
}

/** Finished calls (conversation_summaries) as admins list and open them, newest first by when the call happened. */
@Injectable()
export class CallsService {
  constructor(
    @InjectRepository(ConversationSummary) private readonly summaries: Repository<ConversationSummary>,
    @InjectRepository(ConversationMessage) private readonly messages: Repository<ConversationMessage>,
  ) {}

  findPage(filter: CallsFilter): Promise<Page<CallResponse>> {
    const builder = this.summaries.createQueryBuilder('call');
    for (const column of ['outcome', 'intent', 'sentiment'] as const) {
      if (filter[column]) builder.andWhere(`call.${column} = :${column}`, { [column]: filter[column] });
    }
    if (filter.roomId) builder.andWhere('call.room_id = :roomId', { roomId: filter.roomId });
    if (filter.userId) builder.andWhere('call.user_id = :userId', { userId: filter.userId });
    if (filter.from) builder.andWhere('call.called_at >= :from', { from: filter.from });
    if (filter.to) builder.andWhere('call.called_at < :to', { to: filter.to });
    if (filter.q?.trim()) builder.andWhere(`${SEARCH_DOCUMENT} @@ websearch_to_tsquery('english', :q)`, { q: filter.q.trim() });
    return fetchPage(builder, { timeColumn: 'called_at', timeOf: (call) => call.calledAt }, filter, toCallResponse);
  }

  /** A call by its summary row id, with the transcript of its session (null when there is no such call). */
  async findDetail(id: string): Promise<CallDetail | null> {
    const summary = await this.summaries.findOneBy({ id });
    if (!summary) return null;
    const transcript = summary.sessionId
      ? await this.messages
          .createQueryBuilder('message')
          .select(['message.role', 'message.message', 'message.timeInCallSecs'])
          .where('message.session_id = :sessionId', { sessionId: summary.sessionId })
          .orderBy('message.time_in_call_secs', 'ASC', 'NULLS LAST')
          .addOrderBy('message.created_at', 'ASC')
          .getMany()
      : [];
    return { summary, transcript: transcript.map(({ role, message, timeInCallSecs }) => ({ role, message, timeInCallSecs })) };
  }
}
