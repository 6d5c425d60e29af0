import type { OnboardingPhase } from '../users/entities/user.entity.js';
import { DONE_ACTION_ITEM_TYPES, insightDataOf, insightText, listOfStrings, normalizeActionItemText } from './data-collection-values.js';
import type { InsightSource } from './entities/user-insight.entity.js';
import { type Sentiment, sentimentOf, spokenText, topicsOf } from './text-analysis.js';

/** What a finished conversation gives us to read. */
export interface ConversationText {
  /** `analysis.data_collection_results`: id → `{ data_collection_id, value, rationale }` (or a bare value). */
  dataCollection: Record<string, unknown>;
  summary: string | null;
  /** The person's own turns of the transcript. */
  personLines: string[];
  /** The topics and sentiment of these texts when they were read already (on the text-analysis thread). */
  read?: { topics: string[]; sentiment: Sentiment | null } | null;
}

export interface ExtractedInsight {
  insightType: string;
  insightData: Record<string, unknown>;
  source: Extract<InsightSource, 'data_collection' | 'nlp'>;
}

export interface ActionItemInput {
  text: string;
  normalizedText: string;
  status: 'open' | 'done';
}

export interface Extraction {
  insights: ExtractedInsight[];
  /** Items said in this call: open ones, and those reported done (these close a matching open item). */
  actionItems: ActionItemInput[];
  goals: string[];
  coachingStyle: string | null;
  topics: string[];
  sentiment: Sentiment | null;
}

const MAX_TYPE_LENGTH = 64;

function collectedValue(entry: unknown): unknown {
  if (entry && typeof entry === 'object' && !Array.isArray(entry) && 'value' in entry) return (entry as { value: unknown }).value;
  return entry;
}

/**
 * The insights of one conversation: one per data-collection result (id kept as it came, value normalised),
 * the topic keywords of the summary and of the person's turns, and the sentiment of the person's turns.
 */
export function extractInsights(conversation: ConversationText): Extraction {
  const insights: ExtractedInsight[] = [];
  const byType = new Map<string, Record<string, unknown>>();
  for (const [id, entry] of Object.entries(conversation.dataCollection ?? {})) {
    const type = id.trim().slice(0, MAX_TYPE_LENGTH);
    if (!type) continue;
    const data = insightDataOf(type, collectedValue(entry));
    if (!data) continue;
    insights.push({ insightType: type, insightData: data, source: 'data_collection' });
    byType.set(type, data);
  }

  // The person's turns as one text: the same reading as their sentiment's (and the call analysis's).
  const topics = conversation.read?.topics ?? topicsOf([conversation.summary ?? '', spokenText(conversation.personLines)]);
  if (topics.length) insights.push({ insightType: 'topics', insightData: { items: topics }, source: 'nlp' });
  const sentiment = conversation.read ? conversation.read.sentiment : sentimentOf(conversation.personLines);
  if (sentiment) insights.push({ insightType: 'sentiment', insightData: { ...sentiment }, source: 'nlp' });

  const items = (type: string) => listOfStrings(byType.get(type)?.items ?? []);
  const done = new Map<string, string>();
  for (const type of DONE_ACTION_ITEM_TYPES) {
    for (const text of items(type)) if (!done.has(normalizeActionItemText(text))) done.set(normalizeActionItemText(text), text);
  }
  const actionItems = new Map<string, ActionItemInput>();
  for (const text of items('action_items')) {
    const normalizedText = normalizeActionItemText(text);
    if (normalizedText && !done.has(normalizedText) && !actionItems.has(normalizedText)) actionItems.set(normalizedText, { text, normalizedText, status: 'open' });
  }
  for (const [normalizedText, text] of done) if (normalizedText) actionItems.set(normalizedText, { text, normalizedText, status: 'done' });

  const style = byType.get('coaching_style');
  return {
    insights,
    actionItems: [...actionItems.values()],
    goals: items('goals'),
    coachingStyle: style ? insightText(style) || null : null,
    topics,
    sentiment,
  };
}

/**
 * Onboarding: a finished goal-discovery call that collected goals moves the person on to coaching-style
 * discovery; a coaching-style-discovery call that collected a coaching style (or goals) moves them on to coaching.
 * Returns the step to take (applied only if the person is still in `from`), or null.
 */
export function onboardingStep(sessionType: string | null | undefined, extraction: Pick<Extraction, 'goals' | 'coachingStyle'>): { from: OnboardingPhase; to: OnboardingPhase } | null {
  if (sessionType === 'goal_discovery' && extraction.goals.length) return { from: 'goal_discovery', to: 'coaching_style_discovery' };
  if (sessionType === 'coaching_style_discovery' && (extraction.coachingStyle || extraction.goals.length)) return { from: 'coaching_style_discovery', to: 'coaching' };
  return null;
}
