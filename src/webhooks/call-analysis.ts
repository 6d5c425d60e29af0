import winkNLP, { type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

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

let nlpInstance: ReturnType<typeof winkNLP> | undefined;
function nlp(): ReturnType<typeof winkNLP> {
  nlpInstance ??= winkNLP(model);
  return nlpInstance;
}

/** Lemmas of the content words (no stop words, punctuation or numbers). */
function bagOfLemmas(text: string): Bow {
  const { its } = nlp();
  const bow: Bow = new Map();
  nlp()
    .readDoc(text)
    .tokens()
    .filter((token) => token.out(its.type) === 'word' && !token.out(its.stopWordFlag))
    .each((token: ItemToken) => {
      const lemma = String(token.out(its.lemma as never)).toLowerCase();
      bow.set(lemma, (bow.get(lemma) ?? 0) + 1);
    });
  return bow;
}

function cosine(a: Bow, b: Bow): number {
  let dot = 0;
  for (const [term, count] of a) dot += count * (b.get(term) ?? 0);
  const norm = (bow: Bow) => Math.sqrt([...bow.values()].reduce((sum, v) => sum + v * v, 0));
  const denominator = norm(a) * norm(b);
  return denominator ? dot / denominator : 0;
}

let exampleBows: Array<{ intent: CallIntent; bow: Bow }> | undefined;

/** The intent whose best example is most similar to any sentence of the text; `general_inquiry` when none is close. */
export function inferIntent(text: string): CallIntent {
  if (!text.trim()) return 'general_inquiry';
  exampleBows ??= Object.entries(INTENT_EXAMPLES).flatMap(([intent, examples]) =>
    examples.map((example) => ({ intent: intent as CallIntent, bow: bagOfLemmas(example) })),
  );
  const scores = new Map<CallIntent, number>();
  const sentences = nlp().readDoc(text).sentences().out() as string[];
  for (const sentence of sentences) {
    const bow = bagOfLemmas(sentence);
    if (bow.size === 0) continue;
    for (const example of exampleBows) {
      const score = cosine(bow, example.bow);
      if (score > (scores.get(example.intent) ?? 0)) scores.set(example.intent, score);
    }
  }
  const best = [...scores.entries()].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] >= INTENT_THRESHOLD ? best[0] : 'general_inquiry';
}

/** wink-nlp's sentiment score of the text (-1 … 1), bucketed. */
export function inferSentiment(text: string): { sentiment: CallSentiment; score: number } {
  if (!text.trim()) return { sentiment: 'neutral', score: 0 };
  const score = Number(nlp().readDoc(text).out(nlp().its.sentiment)) || 0;
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
  const text = [input.summary ?? '', ...input.callerLines].filter(Boolean).join('\n');
  const sentiment = inferSentiment(input.callerLines.join('\n') || (input.summary ?? ''));
  return {
    outcome: mapped?.outcome ?? outcomeFromCallSuccessful(input.callSuccessful),
    intent: mapped?.intent ?? inferIntent(text),
    sentiment: sentiment.sentiment,
    sentimentScore: sentiment.score,
    callerName: inferCallerName(input.callerLines),
  };
}
