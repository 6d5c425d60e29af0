/**
 * Data-collection values as ElevenLabs delivers them (`analysis.data_collection_results[id].value`): a string, a
 * list, a JSON text or a number. These rules turn them into what we store: lists of strings for list types,
 * the parsed value otherwise.
 */

/** Data-collection ids whose value is a list of things (each becomes one item). Any other id arriving as a list is one too. */
export const LIST_INSIGHT_TYPES: ReadonlySet<string> = new Set([
  'goals',
  'challenges',
  'key_points',
  'action_items',
  'action_items_done',
  'completed_action_items',
  'done_action_items',
  'topics',
  'strengths',
]);

/** Ids that list action items the person has completed since (they close matching open items). */
export const DONE_ACTION_ITEM_TYPES: ReadonlySet<string> = new Set(['action_items_done', 'completed_action_items', 'done_action_items']);

export const MAX_LIST_ITEMS = 50;
export const MAX_ITEM_LENGTH = 500;

const BULLET = /^\s*(?:[-*•·–]|\d+[.)]|\(\d+\))\s*/u;

function parseJsonText(value: string): unknown {
  const text = value.trim();
  if (!/^[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One list item as text: strings as they are, numbers and booleans printed, objects by their usual text field. */
function itemText(item: unknown): string | null {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const record = item as Record<string, unknown>;
    for (const key of ['text', 'title', 'item', 'name', 'description', 'value', 'goal', 'task']) {
      if (typeof record[key] === 'string') return record[key] as string;
    }
    return JSON.stringify(item);
  }
  return null;
}

function cleanItem(text: string): string {
  const cleaned = text.replace(BULLET, '').replace(/\s+/g, ' ').trim();
  return cleaned.length > MAX_ITEM_LENGTH ? cleaned.slice(0, MAX_ITEM_LENGTH).trimEnd() : cleaned;
}

/**
 * A value as a list of strings: arrays item by item, JSON arrays in a string parsed, other text split into
 * lines or `;`-separated parts (bullets and numbering dropped). Empty items and repeats (case-insensitive) are
 * dropped; at most MAX_LIST_ITEMS items of at most MAX_ITEM_LENGTH characters.
 */
export function listOfStrings(value: unknown): string[] {
  let raw: unknown[];
  if (Array.isArray(value)) raw = value;
  else if (typeof value === 'string') {
    const parsed = parseJsonText(value);
    if (Array.isArray(parsed)) raw = parsed;
    else if (typeof parsed === 'string') raw = parsed.split(/\r?\n|;/);
    else raw = value.split(/\r?\n|;/);
  } else if (typeof value === 'number' || typeof value === 'boolean') raw = [value];
  else if (value && typeof value === 'object') raw = [value];
  else raw = [];
  const seen = new Set<string>();
  const items: string[] = [];
  for (const entry of raw.flatMap((item) => (Array.isArray(item) ? item : [item]))) {
    const text = itemText(entry);
    if (text === null) continue;
    const cleaned = cleanItem(text);
    const key = cleaned.toLowerCase();
    if (!cleaned || seen.has(key)) continue;
    seen.add(key);
    items.push(cleaned);
    if (items.length >= MAX_LIST_ITEMS) break;
  }
  return items;
}

/** A non-list value: JSON text parsed, other text trimmed, numbers and booleans kept; null when empty. */
export function scalarValue(value: unknown): unknown {
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text) return null;
    const parsed = parseJsonText(text);
    return parsed === undefined ? text : parsed;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value ?? null;
}

/** Whether a data-collection id (or its value's shape) makes it a list. */
export function isListInsight(type: string, value: unknown): boolean {
  if (LIST_INSIGHT_TYPES.has(type)) return true;
  if (Array.isArray(value)) return true;
  return typeof value === 'string' && Array.isArray(parseJsonText(value));
}

/** The stored `insight_data` of a data-collection result: `{ items }` for lists, `{ value }` otherwise; null when empty. */
export function insightDataOf(type: string, value: unknown): { items: string[] } | { value: unknown } | null {
  if (isListInsight(type, value)) {
    const items = listOfStrings(value);
    return items.length ? { items } : null;
  }
  const scalar = scalarValue(value);
  return scalar === null || scalar === '' ? null : { value: scalar };
}

/** The text of an insight for display: list items joined, a value printed. */
export function insightText(data: Record<string, unknown>): string {
  if (Array.isArray(data.items)) return data.items.join('; ');
  const value = data.value;
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

/**
 * The matching key of an action item: Unicode-normalised, lower case, punctuation dropped, spaces collapsed, so
 * "Walk 20 minutes a day." and "walk 20 minutes a day" are one item.
 */
export function normalizeActionItemText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 1000);
}
