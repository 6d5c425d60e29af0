import type { ItemSentence, ItemToken } from 'wink-nlp';
import { nlp, readDoc, spokenText } from '../insights/text-analysis.js';

/**
 * Outcome, intent, sentiment and caller name of a finished call (the dashboard seed's call mapping).
 * Text understanding uses wink-nlp (tokens, lemmas, stop words, POS tags and its sentiment model);
 * the only tables here are the seed's outcome mapping and labelled example utterances per intent.
 */

export type CallSentiment = 'positive' | 'neutral' | 'negative';
export type CallIntent = 'scheduling' | 'cancellation' | 'billing' | 'technical_support' | 'complaint' | 'coaching' | 'general_inquiry';

/** `analysis.call_outcome` (or a data-collection `call_outcome`) → dashboard outcome, plus an intent when the outcome implies one. */
export const OUTCOME_MAPPING: Record<string, { outcome: string; intent?: CallIntent }> = {
  appointment_booked: { outcome: 'resolved', intent: 'scheduling' },
  appointment_rescheduled: { outcome: 'resolved', intent: 'scheduling' },
  appointment_confirmed: { outcome: 'resolved', intent: 'scheduling' },
  appointment_cancelled: { outcome: 'resolved', intent: 'cancellation' },
  resolved: { outcome: 'resolved' },
  information_provided: { outcome: 'resolved', intent: 'general_inquiry' },
  question_answered: { outcome: 'resolved', intent: 'general_inquiry' },
  escalated: { outcome: 'escalated' },
  transferred: { outcome: 'escalated' },
  transferred_to_human: { outcome: 'escalated' },
  callback_scheduled: { outcome: 'callback_scheduled' },
  callback_requested: { outcome: 'callback_scheduled' },
  unresolved: { outcome: 'unresolved' },
  not_resolved: { outcome: 'unresolved' },
  voicemail: { outcome: 'voicemail' },
  no_answer: { outcome: 'abandoned' },
  hung_up: { outcome: 'abandoned' },
  abandoned: { outcome: 'abandoned' },
  dropped: { outcome: 'abandoned' },
};

/** Maps a seed outcome; unknown non-empty values become `other`, absent ones null. */
export function mapOutcome(raw: unknown): { outcome: string; intent?: CallIntent } | null {
  const key = outcomeKey(raw);
  if (!key) return null;
  return OUTCOME_MAPPING[key] ?? { outcome: 'other' };
}

/** The seed outcome as stored in `raw_outcome` ("Appointment booked" → `appointment_booked`); null when absent. */
export function outcomeKey(raw: unknown): string | null {
  if (typeof raw !== 'string' || !raw.trim()) return null;
  return raw.trim().toLowerCase().replace(/[\s-]+/g, '_').slice(0, 64);
}

/** ElevenLabs `call_successful` when no explicit outcome was collected. */
export function outcomeFromCallSuccessful(value: unknown): string | null {
  return value === 'success' ? 'resolved' : value === 'failure' ? 'unresolved' : null;
}

/** Labelled examples: a call's intent is the label of the most similar examples (lemmatised bag-of-words cosine). */
const INTENT_EXAMPLES: Record<Exclude<CallIntent, 'general_inquiry'>, string[]> = {
  scheduling: [
    'I would like to book an appointment',
    'Can we schedule a meeting for next week',
    'I need to reschedule my visit to another day',
    'Is there a free slot on Tuesday morning',
    'Please confirm my appointment time',
  ],
  cancellation: [
    'I want to cancel my appointment',
    'Please cancel my subscription',
    'I would like to end my membership and close the account',
  ],
  billing: [
    'I have a question about my invoice',
    'I was charged twice on my credit card',
    'I need a refund for the payment',
    'How much does the plan cost and what is the price',
  ],
  technical_support: [
    'The app is not working and keeps crashing',
    'I cannot log in to my account, the password reset fails',
    'There is an error message when I open the website',
    'My device does not connect',
  ],
  complaint: [
    'I am very unhappy with the service',
    'This is unacceptable, I want to make a complaint',
    'Your staff was rude and the experience was terrible',
  ],
  coaching: [
    'I want to work on my goals and build better habits',
    'I want to sleep better and exercise more',
    'Help me stay motivated and reduce stress',
    'I want to improve my focus and productivity',
  ],
};

const INTENT_THRESHOLD = 0.2;

type Bow = Map<string, number>;

/** Lemmas of the content words (no stop words, punctuation or numbers) of a text, or of one sentence of a read text. */
function bagOfLemmas(source: string | ItemSentence): Bow {
  const { its } = nlp();
  const bow: Bow = new Map();
  (typeof source === 'string' ? nlp().readDoc(source) : source)
    .tokens()
    .filter((token) => token.out(its.type) === 'word' && !token.out(its.stopWordFlag))
    .each((token: ItemToken) => {
      const lemma = String(token.out(its.lemma as never)).toLowerCase();
      bow.set(lemma, (bow.get(lemma) ?? 0) + 1);
    });
  return bow;
}

const norm = (bow: Bow) => Math.sqrt([...bow.values()].reduce((sum, v) => sum + v * v, 0));

/** Cosine similarity of two bags; `bNorm` is b's norm (an example's, computed once). */
function cosine(a: Bow, aNorm: number, b: Bow, bNorm: number): number {
  let dot = 0;
  for (const [term, count] of a) dot += count * (b.get(term) ?? 0);
  const denominator = aNorm * bNorm;
  return denominator ? dot / denominator : 0;
}

let exampleBows: Array<{ intent: CallIntent; bow: Bow; norm: number }> | undefined;

/** The intent whose best example is most similar to any sentence of the texts; `general_inquiry` when none is close. */
export function inferIntent(...texts: string[]): CallIntent {
  exampleBows ??= Object.entries(INTENT_EXAMPLES).flatMap(([intent, examples]) =>
    examples.map((example) => {
      const bow = bagOfLemmas(example);
      return { intent: intent as CallIntent, bow, norm: norm(bow) };
    }),
  );
  const known = exampleBows;
  const scores = new Map<CallIntent, number>();
  // Each text is read once (and shared with the other readers of the call); its sentences are scored as read.
  for (const text of texts) {
    if (!text.trim()) continue;
    readDoc(text)
      .sentences()
      .each((sentence: ItemSentence) => {
        const bow = bagOfLemmas(sentence);
        if (bow.size === 0) return;
        const bowNorm = norm(bow);
        for (const example of known) {
          const score = cosine(bow, bowNorm, example.bow, example.norm);
          if (score > (scores.get(example.intent) ?? 0)) scores.set(example.intent, score);
        }
      });
  }
  const best = [...scores.entries()].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] >= INTENT_THRESHOLD ? best[0] : 'general_inquiry';
}

/** wink-nlp's sentiment score of the text (-1 … 1), bucketed. */
export function inferSentiment(text: string): { sentiment: CallSentiment; score: number } {
  if (!text.trim()) return { sentiment: 'neutral', score: 0 };
  const score = Number(readDoc(text).out(nlp().its.sentiment)) || 0;
  return { sentiment: score >= 0.1 ? 'positive' : score <= -0.1 ? 'negative' : 'neutral', score };
}

const NAME_INTRODUCTION = /\b(?:[Mm]y name is|[Mm]y name's|[Tt]his is|[Cc]all me)\s+([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)?)/u;

/** "my name is …", "this is …", "call me …" in what the caller said; the words must be proper nouns. */
export function inferCallerName(callerLines: string[]): string | null {
  const { its } = nlp();
  for (const line of callerLines) {
    const match = NAME_INTRODUCTION.exec(line);
    if (!match) continue;
    const words = match[1].split(/\s+/);
    const tags = nlp().readDoc(line).tokens().out(its.pos) as string[];
    const tokens = nlp().readDoc(line).tokens().out() as string[];
    const kept: string[] = [];
    for (const word of words) {
      const index = tokens.indexOf(word);
      if (index >= 0 && tags[index] === 'PROPN') kept.push(word);
      else break;
    }
    if (kept.length) return kept.join(' ');
  }
  return null;
}

export interface CallAnalysis {
  outcome: string | null;
  intent: CallIntent;
  sentiment: CallSentiment;
  sentimentScore: number;
  callerName: string | null;
}

/**
 * Everything the dashboard shows about a call. `rawOutcome` comes from the caller's system when it has one;
 * an outcome that implies an intent (appointment_booked → scheduling) wins over the inferred one.
 */
export function analyseCall(input: { rawOutcome?: unknown; callSuccessful?: unknown; summary?: string | null; callerLines: string[] }): CallAnalysis {
  const mapped = mapOutcome(input.rawOutcome);
  // The caller's turns as insights read them (one text, a sentence per turn): read once for both.
  const spoken = spokenText(input.callerLines);
  const sentiment = inferSentiment(spoken || (input.summary ?? ''));
  return {
    outcome: mapped?.outcome ?? outcomeFromCallSuccessful(input.callSuccessful),
    intent: mapped?.intent ?? inferIntent(input.summary ?? '', spoken),
    sentiment: sentiment.sentiment,
    sentimentScore: sentiment.score,
    callerName: inferCallerName(input.callerLines),
  };
}
