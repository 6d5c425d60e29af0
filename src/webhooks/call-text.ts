import { type Sentiment, sentimentOf, spokenText, topicsOf } from '../insights/text-analysis.js';
import { type CallAnalysis, analyseCall } from './call-analysis.js';

/** The text of a finished call that wink-nlp reads. */
export interface CallTextInput {
  rawOutcome: unknown;
  callSuccessful: unknown;
  summary: string | null;
  /** The caller's own turns of the transcript. */
  callerLines: string[];
}

/** Everything read from a call's text: the dashboard's analysis, and the topics and sentiment insights keep. */
export interface CallText {
  analysis: CallAnalysis;
  read: { topics: string[]; sentiment: Sentiment | null };
}

/** Reads a call's text once for the call analysis and for insights (the same texts as `extractInsights` reads). */
export function readCallText(input: CallTextInput): CallText {
  return {
    analysis: analyseCall(input),
    read: { topics: topicsOf([input.summary ?? '', spokenText(input.callerLines)]), sentiment: sentimentOf(input.callerLines) },
  };
}
