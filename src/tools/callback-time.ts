import * as chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';

export type CallbackTimeResult = { ok: true; dueAt: Date } | { ok: false; reason: 'unreadable' } | { ok: false; reason: 'past'; dueAt: Date };

/** The zone's offset from UTC in minutes at an instant (what chrono's `timezone` option takes). */
function offsetMinutes(zone: string, at: Date): number {
  return DateTime.fromJSDate(at, { zone }).offset;
}

function parseWithOffset(text: string, now: Date, offset: number): Date | null {
  // forwardDate: "at 6pm" said at 7pm means tomorrow, "Monday" means the coming one.
  return chrono.parseDate(text, { instant: now, timezone: offset }, { forwardDate: true });
}

/**
 * Reads a callback time as the person said it, in their IANA time zone: ISO-8601 (an offset in it wins; without
 * one it is local time) or an English phrase ("tomorrow at 6pm", "in 2 hours") read by chrono-node relative to `now`.
 * chrono takes a fixed offset, not a zone, so the offset is taken at `now` and checked again at the result: when a
 * DST change lies between them, the phrase is read once more with the result's offset ("tomorrow at 6pm" stays 6pm
 * local across the change; "in 2 hours" is the same instant either way).
 */
export function parseCallbackTime(text: string, now: Date, timezone: string): CallbackTimeResult {
  const zone = IANAZone.isValidZone(timezone) ? timezone : 'UTC';
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, reason: 'unreadable' };

  let dueAt: Date | null = null;
  const iso = DateTime.fromISO(trimmed, { zone });
  if (iso.isValid && /^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    dueAt = iso.toJSDate();
  } else {
    const offsetNow = offsetMinutes(zone, now);
    dueAt = parseWithOffset(trimmed, now, offsetNow);
    if (dueAt) {
      const offsetThen = offsetMinutes(zone, dueAt);
      if (offsetThen !== offsetNow) {
        const again = parseWithOffset(trimmed, now, offsetThen);
        if (again && offsetMinutes(zone, again) === offsetThen) dueAt = again;
      }
    }
  }
  if (!dueAt || Number.isNaN(dueAt.getTime())) return { ok: false, reason: 'unreadable' };
  if (dueAt.getTime() <= now.getTime()) return { ok: false, reason: 'past', dueAt };
  return { ok: true, dueAt };
}

/** "Tuesday 14 January at 18:00" in the person's zone, for the agent to read back. */
export function describeLocalTime(at: Date, timezone: string): string {
  const zone = IANAZone.isValidZone(timezone) ? timezone : 'UTC';
  return DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat("cccc d LLLL 'at' HH:mm");
}
