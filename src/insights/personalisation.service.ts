import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import type { User } from '../users/entities/user.entity.js';

/** Every personalisation variable the agent may reference; always all present, as strings (ElevenLabs fails a call on a missing one). */
export const PERSONALISATION_VARIABLES = [
  'user_name',
  'conversation_count',
  'last_conversation_summary',
  'open_action_items',
  'recurring_topics',
  'goals',
  'coaching_style',
  'onboarding_phase',
  'selected_goals',
] as const;
export type PersonalisationVariable = (typeof PERSONALISATION_VARIABLES)[number];
export type PersonalisationVariables = Record<PersonalisationVariable, string>;

/**
 * Builds the dynamic variables of a person's next conversation. For now from the user row and their
 * stored summaries; the insights issue extends this with goals, topics, action items and style.
 */
@Injectable()
export class PersonalisationService {
  constructor(@InjectRepository(ConversationSummary) private readonly summaries: Repository<ConversationSummary>) {}

  emptyVariables(): PersonalisationVariables {
    return Object.fromEntries(PERSONALISATION_VARIABLES.map((name) => [name, ''])) as PersonalisationVariables;
  }

  async variablesFor(user: User | null): Promise<PersonalisationVariables> {
    const variables = this.emptyVariables();
    if (!user) return variables;
    // One round trip on the room page's hot path: the newest summary, and the count beside it.
    const [last] = await this.summaries
      .createQueryBuilder('summary')
      .select('summary.summary', 'summary')
      .addSelect('count(*) OVER ()', 'total')
      .where('summary.user_id = :userId', { userId: user.id })
      .orderBy('summary.started_at', 'DESC', 'NULLS LAST')
      .addOrderBy('summary.created_at', 'DESC')
      .limit(1)
      .getRawMany<{ summary: string | null; total: string }>();
    variables.user_name = user.displayName;
    variables.onboarding_phase = user.onboardingPhase;
    variables.conversation_count = last?.total ?? '0';
    variables.last_conversation_summary = last?.summary ?? '';
    return variables;
  }
}
