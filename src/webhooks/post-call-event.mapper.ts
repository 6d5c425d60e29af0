import type { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import { listOfStrings } from '../insights/data-collection-values.js';
import { outcomeKey } from './call-analysis.js';

type Json = Record<string, unknown>;

const object = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const string = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : null);

export interface TranscriptLine {
  role: 'user' | 'agent';
  message: string;
  timeInCallSecs: number | null;
}

/** The spoken turns of a post_call_transcription transcript (tool-only turns without text are left out). */
export function transcriptLines(data: Json): TranscriptLine[] {
  const transcript = Array.isArray(data.transcript) ? data.transcript : [];
  return transcript
    .map((item) => object(item))
    .filter((item) => (item.role === 'user' || item.role === 'agent') && string(item.message))
    .map((item) => ({ role: item.role as 'user' | 'agent', message: String(item.message), timeInCallSecs: number(item.time_in_call_secs) }));
}

export function dynamicVariablesOf(data: Json): Json {
  return object(object(data.conversation_initiation_client_data).dynamic_variables);
}

/** What a finished call says about its caller: the widget session, the user ids it names, the caller's number. */
export function callerOf(data: Json): { sessionId: string | null; userIds: string[]; externalNumber: string | null } {
  const client = object(data.conversation_initiation_client_data);
  const variables = object(client.dynamic_variables);
  return {
    sessionId: typeof variables.session_id === 'string' ? variables.session_id : null,
    userIds: [data.user_id, variables.user_id, client.user_id].filter((candidate): candidate is string => typeof candidate === 'string' && !!candidate.trim()),
    externalNumber: phoneNumbers(data).externalNumber,
  };
}

/** Caller and callee from `metadata.phone_call`: ElevenLabs gives agent/external numbers plus a direction. */
export function phoneNumbers(data: Json): { fromNumber: string | null; toNumber: string | null; externalNumber: string | null } {
  const call = object(object(data.metadata).phone_call);
  const agent = string(call.agent_number);
  const external = string(call.external_number);
  if (call.direction === 'outbound') return { fromNumber: agent, toNumber: external, externalNumber: external };
  if (call.direction === 'inbound') return { fromNumber: external, toNumber: agent, externalNumber: external };
  return { fromNumber: null, toNumber: null, externalNumber: external };
}

/** Summary columns from a post_call_transcription `data` (the GET conversation wire shape). */
export function summaryFieldsOf(data: Json): Partial<ConversationSummary> {
  const analysis = object(data.analysis);
  const metadata = object(data.metadata);
  const dataCollectionRaw = object(analysis.data_collection_results);
  const collected = (id: string) => object(dataCollectionRaw[id]).value;
  const start = number(metadata.start_time_unix_secs);
  const duration = number(metadata.call_duration_secs);
  const { fromNumber, toNumber } = phoneNumbers(data);
  return {
    conversationId: String(data.conversation_id),
    agentId: string(data.agent_id),
    title: string(analysis.call_summary_title)?.slice(0, 500) ?? null,
    summary: transcriptSummary(data),
    dataCollection: dataCollectionRaw,
    evaluation: object(analysis.evaluation_criteria_results),
    // Normalised as insights normalise them (lists of strings), so the columns and the insights agree.
    keyPoints: listOfStrings(collected('key_points')),
    actionItems: listOfStrings(collected('action_items')),
    callSuccessful: analysis.call_successful === 'success' ? true : analysis.call_successful === 'failure' ? false : null,
    durationSecs: duration === null ? null : Math.round(duration),
    startedAt: start === null ? null : new Date(start * 1000),
    fromNumber,
    toNumber,
    rawOutcome: outcomeKey(collectedOutcome(data)),
  };
}

export function transcriptSummary(data: Json): string | null {
  return string(object(data.analysis).transcript_summary);
}

/** The outcome the agent collected, if it collects one (`call_outcome` or `outcome`). */
export function collectedOutcome(data: Json): unknown {
  const results = object(object(data.analysis).data_collection_results);
  return object(results.call_outcome).value ?? object(results.outcome).value;
}
