/** The agent reads the tool result inside its context window: the whole answer stays under this many bytes. */
export const HISTORY_MAX_BYTES = 4096;
export const SUMMARY_MAX_CHARS = 280;
export const TITLE_MAX_CHARS = 80;
export const LIST_MAX_ITEMS = 8;
export const LIST_ITEM_MAX_CHARS = 140;

export interface HistoryConversation {
  title: string;
  date: string;
  summary: string;
}

export interface UserHistory {
  conversations: HistoryConversation[];
  goals: string[];
  openActionItems: string[];
}

/** Cuts on a word boundary and marks the cut with "…" (at most `max` characters, the mark included). */
export function truncateText(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean); // code points: never split an emoji
  if (chars.length <= max) return clean;
  const head = chars.slice(0, max - 1).join('');
  const boundary = head.lastIndexOf(' ');
  return `${(boundary > max / 2 ? head.slice(0, boundary) : head).replace(/[\s,;:.-]+$/, '')}…`;
}

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * The history tool's answer, compact whatever the history size: summaries and list items cut, lists capped, then
 * the oldest conversations (and, if still needed, the last list items) dropped until the JSON fits HISTORY_MAX_BYTES.
 */
export function compactHistory(input: {
  conversations: Array<{ title: string | null; at: Date; summary: string | null }>;
  goals: string[];
  openActionItems: string[];
}): UserHistory {
  const history: UserHistory = {
    conversations: input.conversations.map((c) => ({
      title: truncateText(c.title ?? '', TITLE_MAX_CHARS),
      date: c.at.toISOString().slice(0, 10),
      summary: truncateText(c.summary ?? '', SUMMARY_MAX_CHARS),
    })),
    goals: input.goals.slice(0, LIST_MAX_ITEMS).map((g) => truncateText(g, LIST_ITEM_MAX_CHARS)),
    openActionItems: input.openActionItems.slice(0, LIST_MAX_ITEMS).map((a) => truncateText(a, LIST_ITEM_MAX_CHARS)),
  };
  while (bytesOf(history) > HISTORY_MAX_BYTES) {
    if (history.conversations.length > 1) history.conversations.pop();
    else if (history.openActionItems.length > 1 || history.goals.length > 1) {
      (history.openActionItems.length >= history.goals.length ? history.openActionItems : history.goals).pop();
    } else if (history.conversations.length) history.conversations.pop();
    else if (history.openActionItems.length) history.openActionItems.pop();
    else history.goals.pop();
  }
  return history;
}
