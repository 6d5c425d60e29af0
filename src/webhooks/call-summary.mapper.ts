import type { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import { analyseCall, outcomeKey } from './call-analysis.js';

type Json = Record<string, unknown>;

/** The flat call-summary format of the dashboard seed, as POST /api/calls receives it. */
export interface FlatCallSummary {
  call_id: string;
  agent_id?: string;
  started_at?: string | number;
  ended_at?: string | number;
  duration_seconds?: number;
  from_number?: string;
  to_number?: string;
  /** Either text ("Caller: …\nAgent: …") or turns `[{ role, message | text }]`. */
  transcript?: string | Array<{ role?: string; speaker?: string; message?: string; text?: string }>;
  analysis?: { call_outcome?: string; summary?: string } & Json;
}

const CALLER_ROLES = new Set(['user', 'caller', 'customer', 'client', 'human']);

function toDate(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value < 1e12 ? value * 1000 : value);
  if (typeof value === 'string' && value.trim()) {
    const date = new Date(/^\d+$/.test(value) ? Number(value) * 1000 : value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** What the caller said: turns with a caller role, or text lines prefixed "Caller:", "User:", "Customer:". */
export function callerLinesOf(transcript: FlatCallSummary['transcript']): string[] {
  if (Array.isArray(transcript)) {
    return transcript
      .filter((turn) => CALLER_ROLES.has(String(turn?.role ?? turn?.speaker ?? '').toLowerCase()))
      .map((turn) => String(turn.message ?? turn.text ?? ''))
      .filter(Boolean);
  }
  if (typeof transcript !== 'string') return [];
  const lines = transcript.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const prefixed = lines
    .map((line) => /^(\w+)\s*:\s*(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => Boolean(match))
    .filter((match) => CALLER_ROLES.has(match[1].toLowerCase()))
    .map((match) => match[2]);
  return prefixed.length ? prefixed : lines;
}

/** Summary columns of a flat call summary, with outcome, intent, sentiment and caller name inferred. */
export function summaryFieldsOfFlatCall(call: FlatCallSummary): Partial<ConversationSummary> {
  const startedAt = toDate(call.started_at);
  const endedAt = toDate(call.ended_at);
  const duration =
    typeof call.duration_seconds === 'number' ? Math.round(call.duration_seconds)
    : startedAt && endedAt ? Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)
    : null;
  const summary = typeof call.analysis?.summary === 'string' ? call.analysis.summary : null;
  const analysis = analyseCall({ rawOutcome: call.analysis?.call_outcome, summary, callerLines: callerLinesOf(call.transcript) });
  return {
    conversationId: call.call_id,
    agentId: call.agent_id ?? null,
    startedAt,
    durationSecs: duration,
    fromNumber: call.from_number?.slice(0, 32) ?? null,
    toNumber: call.to_number?.slice(0, 32) ?? null,
    summary,
    title: null,
    dataCollection: call.analysis?.call_outcome ? { call_outcome: { value: call.analysis.call_outcome } } : {},
    outcome: analysis.outcome,
    rawOutcome: outcomeKey(call.analysis?.call_outcome),
    intent: analysis.intent,
    sentiment: analysis.sentiment,
    callerName: analysis.callerName,
    callSuccessful: analysis.outcome === 'resolved' ? true : analysis.outcome === 'unresolved' || analysis.outcome === 'abandoned' ? false : null,
    source: 'calls_api',
  };
}
