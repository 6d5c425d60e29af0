import { DateTime, IANAZone } from 'luxon';

/** CALL_WINDOW as minutes after local midnight, [start, end). */
export interface CallWindow {
  startMinutes: number;
  endMinutes: number;
}

export function effectiveZone(...candidates: Array<string | null | undefined>): string {
  for (const zone of candidates) if (zone && IANAZone.isValidZone(zone)) return zone;
  return 'UTC';
}

/** Whether `at` falls inside the window in `zone`. */
export function isInsideCallWindow(at: Date, zone: string, window: CallWindow): boolean {
  const local = DateTime.fromJSDate(at, { zone: effectiveZone(zone) });
  const minutes = local.hour * 60 + local.minute;
  return minutes >= window.startMinutes && minutes < window.endMinutes;
}

/**
 * The earliest instant ≥ `at` inside the window in `zone`: `at` itself when inside, else the next
 * opening (today's start if before it, tomorrow's otherwise), computed on the local calendar so DST
 * days keep the local start time.
 */
export function nextCallWindowOpening(at: Date, zone: string, window: CallWindow): Date {
  if (isInsideCallWindow(at, zone, window)) return at;
  const local = DateTime.fromJSDate(at, { zone: effectiveZone(zone) });
  const minutes = local.hour * 60 + local.minute;
  const day = minutes < window.startMinutes ? local.startOf('day') : local.startOf('day').plus({ days: 1 });
  const opening = day.set({ hour: Math.floor(window.startMinutes / 60), minute: window.startMinutes % 60, second: 0, millisecond: 0 });
  return opening.toJSDate();
}
