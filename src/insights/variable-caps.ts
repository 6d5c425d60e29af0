/** Prompt-sized dynamic variables: every value a string of at most MAX_VARIABLE_LENGTH characters. */
export const MAX_VARIABLE_LENGTH = 400;
export const LIST_SEPARATOR = '; ';
const ELLIPSIS = '…';

/**
 * The text with runs of white space collapsed, cut to at most `max` characters on a word boundary with "…"
 * (a single word longer than the limit is cut inside it).
 */
export function capText(text: string | null | undefined, max = MAX_VARIABLE_LENGTH): string {
  const clean = (text ?? '').replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max - ELLIPSIS.length + 1);
  const lastSpace = room.lastIndexOf(' ');
  const cut = (lastSpace > 0 ? room.slice(0, lastSpace) : room.slice(0, max - ELLIPSIS.length)).replace(/[\s;,.:-]+$/u, '');
  return `${cut}${ELLIPSIS}`;
}

/** A list as one variable: "a; b; c", capped like capText. */
export function capList(items: readonly string[], max = MAX_VARIABLE_LENGTH, separator = LIST_SEPARATOR): string {
  return capText(items.map((item) => item.replace(/\s+/g, ' ').trim()).filter(Boolean).join(separator), max);
}
