import { SaveInsightToolDto, ScheduleCallbackToolDto, UserHistoryToolDto } from './dto/tool-bodies.dto.js';
import { type ToolBodySchema, toolBodySchema } from './tool-parameter.js';

/** The header our tool definitions bind to the session's `secret__tool_token` dynamic variable. */
export const TOOL_TOKEN_HEADER = 'X-Convai-Tool-Token';
export const TOOL_TOKEN_VARIABLE = 'secret__tool_token';
export const TOOLS_ROUTE_PREFIX = 'api/tools';

export interface ToolSpec {
  /** The tool's name in the agent (what the LLM calls). */
  name: string;
  /** Path under /api/tools. */
  path: string;
  description: string;
  body: abstract new () => object;
}

/** Every tool we serve: the controller's routes and GET /api/tools/definitions both come from this list. */
export const TOOL_SPECS = {
  userHistory: {
    name: 'get_user_history',
    path: 'user-history',
    description:
      "Look up what you already know about the person you are talking to: their last conversations (title, date, summary), " +
      'their goals and their open action items. Use it at the start of a call, or when they refer to an earlier conversation.',
    body: UserHistoryToolDto,
  },
  saveInsight: {
    name: 'save_insight',
    path: 'save-insight',
    description:
      'Remember something important the person just told you (a goal, a challenge, an agreed next step, their mood, how they like ' +
      'to be coached) so that future conversations can build on it. Save one thing per call, in their words.',
    body: SaveInsightToolDto,
  },
  scheduleCallback: {
    name: 'schedule_callback',
    path: 'schedule-callback',
    description:
      'Schedule a phone call back to the person at a time they choose, e.g. "tomorrow at 6pm" or "in 2 hours". ' +
      'Ask them when first. If it fails, read the message of the answer to them.',
    body: ScheduleCallbackToolDto,
  },
} as const satisfies Record<string, ToolSpec>;

/** ElevenLabs' webhook-tool JSON (`conversation_config.agent.prompt.tools[]`, elevenlabs.md §7). */
export interface WebhookToolDefinition {
  type: 'webhook';
  name: string;
  description: string;
  response_timeout_secs: number;
  api_schema: {
    url: string;
    method: 'POST';
    content_type: 'application/json';
    request_headers: Record<string, { variable_name: string }>;
    request_body_schema: ToolBodySchema;
  };
}

/** Our tools answer from the database; ElevenLabs' default 20 s is plenty, 10 s keeps a stuck call short. */
const RESPONSE_TIMEOUT_SECS = 10;

export function toolDefinition(spec: ToolSpec, publicUrl: string): WebhookToolDefinition {
  return {
    type: 'webhook',
    name: spec.name,
    description: spec.description,
    response_timeout_secs: RESPONSE_TIMEOUT_SECS,
    api_schema: {
      url: `${publicUrl.replace(/\/+$/, '')}/${TOOLS_ROUTE_PREFIX}/${spec.path}`,
      method: 'POST',
      content_type: 'application/json',
      request_headers: { [TOOL_TOKEN_HEADER]: { variable_name: TOOL_TOKEN_VARIABLE } },
      request_body_schema: toolBodySchema(spec.body),
    },
  };
}

export function toolDefinitions(publicUrl: string): WebhookToolDefinition[] {
  return Object.values(TOOL_SPECS).map((spec) => toolDefinition(spec, publicUrl));
}
