export interface SentimentPoint {
  at: string | Date | null;
  score: number;
  label: string;
}

export interface ChartOptions {
  width?: number;
  height?: number;
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const round = (n: number) => Math.round(n * 10) / 10;
const day = (at: SentimentPoint['at']) => (at ? new Date(at).toISOString().slice(0, 10) : 'undated');

/**
 * The sentiment trend as a small server-rendered SVG line chart (no script, no CDN, CSP-safe: presentation
 * attributes only). Scores are read on -1 (negative) … +1 (positive) and clamped; one dot per conversation,
 * oldest on the left, each with a tooltip title. Returns markup ready to embed; every text is escaped.
 */
export function sentimentChartSvg(points: SentimentPoint[], options: ChartOptions = {}): string {
  const width = options.width ?? 360;
  const height = options.height ?? 140;
  const pad = { left: 34, right: 12, top: 12, bottom: 22 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const y = (score: number) => round(pad.top + ((1 - Math.max(-1, Math.min(1, Number.isFinite(score) ? score : 0))) / 2) * innerH);
  const x = (i: number) => round(points.length === 1 ? pad.left + innerW / 2 : pad.left + (i * innerW) / (points.length - 1));

  const summary = points.length
    ? `Sentiment of your last ${points.length} conversation${points.length === 1 ? '' : 's'}, oldest first: ${points.map((p) => p.label).join(', ')}`
    : 'No sentiment yet: it appears after your first conversation';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sentiment-chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="sentiment-chart-title">`,
    `<title id="sentiment-chart-title">${escapeXml(summary)}</title>`,
    // Axis and the neutral line.
    `<line class="axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + innerH}" stroke="currentColor" stroke-opacity="0.4"/>`,
    `<line class="neutral" x1="${pad.left}" y1="${y(0)}" x2="${pad.left + innerW}" y2="${y(0)}" stroke="currentColor" stroke-opacity="0.25" stroke-dasharray="4 3"/>`,
    `<text x="${pad.left - 4}" y="${y(1) + 4}" text-anchor="end" font-size="10" fill="currentColor">+1</text>`,
    `<text x="${pad.left - 4}" y="${y(0) + 4}" text-anchor="end" font-size="10" fill="currentColor">0</text>`,
    `<text x="${pad.left - 4}" y="${y(-1) + 4}" text-anchor="end" font-size="10" fill="currentColor">−1</text>`,
  ];
  if (points.length > 1) {
    const path = points.map((p, i) => `${x(i)},${y(p.score)}`).join(' ');
    parts.push(`<polyline class="trend" points="${path}" fill="none" stroke="#2f6fdf" stroke-width="2" stroke-linejoin="round"/>`);
  }
  points.forEach((p, i) => {
    const score = Number.isFinite(p.score) ? p.score : 0;
    const fill = score > 0.05 ? '#2e9d5b' : score < -0.05 ? '#d0453a' : '#8a8f98';
    parts.push(
      `<circle class="point" cx="${x(i)}" cy="${y(p.score)}" r="4" fill="${fill}" data-score="${score.toFixed(2)}"><title>${escapeXml(`${day(p.at)}: ${p.label} (${score.toFixed(2)})`)}</title></circle>`,
    );
  });
  if (points.length) {
    parts.push(`<text x="${pad.left}" y="${height - 6}" font-size="10" fill="currentColor">${escapeXml(day(points[0].at))}</text>`);
    if (points.length > 1) parts.push(`<text x="${pad.left + innerW}" y="${height - 6}" text-anchor="end" font-size="10" fill="currentColor">${escapeXml(day(points.at(-1)!.at))}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
