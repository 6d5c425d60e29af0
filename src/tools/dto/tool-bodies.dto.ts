import { ToolParameter } from '../tool-parameter.js';

/**
 * The bodies ElevenLabs sends to our webhook tools: exactly the `request_body_schema` object (no envelope).
 * Each property's description is what the agent's LLM reads to fill it in.
 */

export const HISTORY_DEFAULT_LIMIT = 5;
export const HISTORY_MAX_LIMIT = 10;

export class UserHistoryToolDto {
  @ToolParameter({
    type: 'integer',
    required: false,
    minimum: 1,
    maximum: HISTORY_MAX_LIMIT,
    description: `How many of the person's most recent conversations to return, from 1 to ${HISTORY_MAX_LIMIT}. Leave it out for ${HISTORY_DEFAULT_LIMIT}.`,
  })
  limit?: number;
}

/** The insight kinds the profile reads (the data-collection ids), plus a free note. */
export const TOOL_INSIGHT_TYPES = ['goals', 'challenges', 'key_points', 'action_items', 'mood', 'coaching_style', 'note'] as const;
export type ToolInsightType = (typeof TOOL_INSIGHT_TYPES)[number];
export const INSIGHT_CONTENT_MAX_LENGTH = 1000;

export class SaveInsightToolDto {
  @ToolParameter({
    type: 'string',
    required: true,
    maxLength: 32,
    enum: TOOL_INSIGHT_TYPES,
    description:
      'What kind of thing to remember: goals (something the person wants to achieve), challenges (what gets in their way), ' +
      'key_points (an important fact about them), action_items (a concrete next step they agreed to), mood (how they feel today), ' +
      'coaching_style (how they like to be coached), or note (anything else worth remembering).',
  })
  type: ToolInsightType;

  @ToolParameter({
    type: 'string',
    required: true,
    maxLength: INSIGHT_CONTENT_MAX_LENGTH,
    description: `The thing to remember, as one short sentence in the person's own terms (at most ${INSIGHT_CONTENT_MAX_LENGTH} characters), e.g. "Run a 10 km race in May".`,
  })
  content: string;
}

export const CALLBACK_REASON_MAX_LENGTH = 500;

export class ScheduleCallbackToolDto {
  @ToolParameter({
    type: 'string',
    required: true,
    maxLength: 200,
    description:
      'When to call the person back, as they said it: a phrase such as "tomorrow at 6pm", "in 2 hours" or "next Monday at 9am" ' +
      "(read in the person's own time zone), or an ISO-8601 date and time.",
  })
  when: string;

  @ToolParameter({
    type: 'string',
    required: false,
    maxLength: CALLBACK_REASON_MAX_LENGTH,
    description: 'Why the call back is wanted, in a few words, e.g. "check in on the running plan".',
  })
  reason?: string;
}
