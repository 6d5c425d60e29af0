import { sentimentChartSvg } from './sentiment-chart.js';

const circles = (svg: string) => [...svg.matchAll(/<circle [^>]*cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));

describe('sentimentChartSvg', () => {
  const trend = [
    { at: '2027-01-01T10:00:00Z', score: -0.5, label: 'negative' },
    { at: '2027-01-05T10:00:00Z', score: 0, label: 'neutral' },
    { at: '2027-01-09T10:00:00Z', score: 0.8, label: 'positive' },
  ];

  it('is an accessible image with a title that says what it shows', () => {
    const svg = sentimentChartSvg(trend);
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*>/);
    expect(svg).toContain('<title id="sentiment-chart-title">Sentiment of your last 3 conversations, oldest first: negative, neutral, positive</title>');
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/<script|style=|on\w+=/i);
  });

  it('draws one dot per conversation, left to right, higher for a better mood, and a line through them', () => {
    const svg = sentimentChartSvg(trend, { width: 200, height: 100 });
    const dots = circles(svg);
    expect(dots).toHaveLength(3);
    expect(dots[0].x).toBeLessThan(dots[1].x);
    expect(dots[1].x).toBeLessThan(dots[2].x);
    expect(dots[2].y).toBeLessThan(dots[1].y); // SVG y grows downwards
    expect(dots[1].y).toBeLessThan(dots[0].y);
    expect(svg).toMatch(/<polyline class="trend" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+ [\d.]+,[\d.]+"/);
    expect(svg).toContain('<title>2027-01-09: positive (0.80)</title>');
  });

  it('clamps scores outside -1…1 and survives NaN', () => {
    const dots = circles(sentimentChartSvg([{ at: null, score: 5, label: 'x' }, { at: null, score: -5, label: 'y' }, { at: null, score: Number.NaN, label: 'z' }], { height: 100 }));
    const top = 12;
    const bottom = 100 - 22;
    expect(dots[0].y).toBe(top);
    expect(dots[1].y).toBe(bottom);
    expect(dots[2].y).toBe((top + bottom) / 2);
  });

  it('escapes labels', () => {
    const svg = sentimentChartSvg([{ at: '2027-01-01T00:00:00Z', score: 0, label: '</title><script>alert(1)</script>' }]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;/title&gt;&lt;script&gt;');
  });

  it('says there is nothing yet for an empty trend, with no dots', () => {
    const svg = sentimentChartSvg([]);
    expect(circles(svg)).toHaveLength(0);
    expect(svg).toContain('No sentiment yet');
  });
});
