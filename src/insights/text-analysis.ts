import winkNLP, { type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/**
 * Topics and sentiment of a conversation with wink-nlp (its English lite model: tokens, lemmas, POS tags,
 * stop words, entities and a sentiment lexicon). The model loads once per process, on first use.
 */

let instance: ReturnType<typeof winkNLP> | undefined;
/**
 * The one wink-nlp instance of the process (call analysis uses it too). Its pipe leaves out custom entities
 * (`cer`): none are learned, and skipping the step makes each reading about an eighth cheaper.
 */
export function nlp(): ReturnType<typeof winkNLP> {
  instance ??= winkNLP(model, ['sbd', 'negation', 'sentiment', 'pos', 'ner']);
  return instance;
}

type Doc = ReturnType<ReturnType<typeof winkNLP>['readDoc']>;
const recentDocs = new Map<string, Doc>();
/** Enough for the conversations processed at the same time (a batch per worker, a few workers). */
const RECENT_DOCS = 64;

/**
 * wink-nlp's reading of a text, kept for the texts read last: one finished call's summary and spoken text are
 * read by the call analysis (intent, sentiment) and by insights (topics, sentiment), and reading is most of
 * their cost.
 */
export function readDoc(text: string): Doc {
  let doc = recentDocs.get(text);
  if (doc) {
    recentDocs.delete(text);
  } else {
    doc = nlp().readDoc(text);
    if (recentDocs.size >= RECENT_DOCS) recentDocs.delete(recentDocs.keys().next().value as string);
  }
  recentDocs.set(text, doc);
  return doc;
}

/** A person's turns as one text, each its own sentence whether or not the transcript punctuated it. */
export function spokenText(lines: string[]): string {
  return lines
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => (/[.!?]$/.test(line) ? line : `${line}.`))
    .join(' ');
}

/** Loads the model now (at start-up), so the first processed call does not pay for it. */
export function warmUpTextAnalysis(): void {
  nlp();
}

export const MAX_TOPICS_PER_CONVERSATION = 5;

/**
 * Nouns that describe the call rather than its subject: ElevenLabs summaries say "The user …", "the agent …".
 * Not a keyword list of topics, only of the conversation's own roles.
 */
const CONVERSATION_ROLE_NOUNS = new Set(['user', 'person', 'agent', 'coach', 'caller', 'client', 'customer', 'assistant', 'conversation', 'call', 'session', 'thing', 'lot', 'bit', 'way']);

const WORD = /^\p{L}[\p{L}'-]*\p{L}$/u;

/**
 * Topic keywords of the texts: the lemmas of their nouns, without stop words, proper nouns (names, places),
 * words inside entities (dates, times, numbers …) or the conversation's role nouns; the most frequent first
 * (ties: first seen first), at most `max`.
 */
export function topicsOf(texts: string[], max = MAX_TOPICS_PER_CONVERSATION): string[] {
  const { its } = nlp();
  const counts = new Map<string, { count: number; first: number }>();
  let position = 0;
  for (const text of texts) {
    if (!text?.trim()) continue;
    readDoc(text)
      .tokens()
      .each((token: ItemToken) => {
        position += 1;
        if (token.out(its.type) !== 'word' || token.out(its.pos) !== 'NOUN' || token.out(its.stopWordFlag) || token.parentEntity()) return;
        const lemma = String(token.out(its.lemma as never)).toLowerCase();
        if (lemma.length < 3 || !WORD.test(lemma) || CONVERSATION_ROLE_NOUNS.has(lemma)) return;
        const seen = counts.get(lemma);
        if (seen) seen.count += 1;
        else counts.set(lemma, { count: 1, first: position });
      });
  }
  return [...counts.entries()]
    .sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first)
    .slice(0, max)
    .map(([lemma]) => lemma);
}

export type SentimentLabel = 'positive' | 'neutral' | 'negative';
export interface Sentiment {
  /** wink-nlp's score, -1 (negative) … 1 (positive), 3 decimals. */
  score: number;
  label: SentimentLabel;
}

export const SENTIMENT_THRESHOLD = 0.1;

export function sentimentLabel(score: number): SentimentLabel {
  return score >= SENTIMENT_THRESHOLD ? 'positive' : score <= -SENTIMENT_THRESHOLD ? 'negative' : 'neutral';
}

/** Sentiment of what the person said (their turns, as one text); null when they said nothing. */
export function sentimentOf(lines: string[]): Sentiment | null {
  const text = spokenText(lines);
  if (!text) return null;
  const raw = Number(readDoc(text).out(nlp().its.sentiment)) || 0;
  const score = Math.round(raw * 1000) / 1000;
  return { score, label: sentimentLabel(score) };
}
