/** The calls-per-day bar chart as plain numbers for an inline SVG (rendered by the server; no chart script). */
export interface CallsPerDayChart {
  width: number;
  height: number;
  max: number;
  bars: Array<{ date: string; count: number; x: number; y: number; width: number; height: number; label: string; showLabel: boolean }>;
  gridLines: Array<{ y: number; value: number }>;
  baseline: number;
  plotHeight: number;
}

const WIDTH = 720;
const HEIGHT = 200;
const PADDING = { top: 12, right: 8, bottom: 28, left: 32 };

export function callsPerDayChart(days: Array<{ date: string; count: number }>): CallsPerDayChart {
  const max = Math.max(1, ...days.map((day) => day.count));
  const plotWidth = WIDTH - PADDING.left - PADDING.right;
  const plotHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(1, slot * 0.7);
  const labelEvery = Math.ceil(days.length / 10);
  const baseline = PADDING.top + plotHeight;
  const bars = days.map((day, index) => {
    const height = (day.count / max) * plotHeight;
    return {
      date: day.date,
      count: day.count,
      x: round(PADDING.left + index * slot + (slot - barWidth) / 2),
      y: round(baseline - height),
      width: round(barWidth),
      height: round(height),
      label: day.date.slice(5),
      showLabel: index % labelEvery === 0 || index === days.length - 1,
    };
  });
  const step = niceStep(max);
  const gridLines: CallsPerDayChart['gridLines'] = [];
  for (let value = step; value <= max; value += step) gridLines.push({ value, y: round(baseline - (value / max) * plotHeight) });
  return { width: WIDTH, height: HEIGHT, max, bars, gridLines, baseline, plotHeight };
}

function niceStep(max: number): number {
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return Math.max(1, step);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
