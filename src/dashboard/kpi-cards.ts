import type { DashboardResponse } from './dashboard.service.js';

/** The KPI cards of GET /admin, in order; public/assets/admin.js formats live updates the same way. */
export const KPI_CARDS: Array<{ key: keyof DashboardResponse; label: string; format: 'count' | 'percent' | 'duration' }> = [
  { key: 'callsToday', label: 'Calls today', format: 'count' },
  { key: 'totalCalls', label: 'Calls in range', format: 'count' },
  { key: 'appointmentsBooked', label: 'Appointments booked', format: 'count' },
  { key: 'escalations', label: 'Escalations', format: 'count' },
  { key: 'successRate', label: 'Success rate', format: 'percent' },
  { key: 'averageDurationSecs', label: 'Average duration', format: 'duration' },
  { key: 'totalDurationSecs', label: 'Total duration', format: 'duration' },
  { key: 'callbacksDue', label: 'Callbacks due', format: 'count' },
  { key: 'callbacksFailed', label: 'Callbacks failed', format: 'count' },
];

export function formatKpi(value: unknown, format: 'count' | 'percent' | 'duration'): string {
  if (value === null || value === undefined) return '—';
  const number = Number(value);
  if (format === 'percent') return `${(Math.round(number * 1000) / 10).toFixed(1)}%`;
  if (format === 'duration') {
    const total = Math.round(number);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = String(total % 60).padStart(2, '0');
    return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
  }
  return String(number);
}
