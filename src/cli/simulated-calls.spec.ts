import { simulateCalls } from './simulated-calls.js';

describe('simulateCalls', () => {
  const now = new Date('2026-12-03T15:00:00Z');

  it('makes N finished calls over D days for P people, failures on top', () => {
    const { people, deliveries } = simulateCalls({ calls: 60, days: 14, people: 8, now, seed: 7 });
    expect(people).toHaveLength(8);
    expect(new Set(people.map((p) => p.externalId)).size).toBe(8);
    const finished = deliveries.filter((d) => d.kind !== 'call_initiation_failure');
    expect(finished).toHaveLength(60);
    expect(deliveries.filter((d) => d.kind === 'call_initiation_failure')).toHaveLength(4);
    expect(finished.some((d) => d.kind === 'call_summary') && finished.some((d) => d.kind === 'post_call_transcription')).toBe(true);
    for (const delivery of deliveries) {
      expect(delivery.startedAt.getTime()).toBeLessThan(now.getTime());
      expect(delivery.startedAt.getTime()).toBeGreaterThanOrEqual(now.getTime() - 14 * 86_400_000);
    }
    expect(new Set(finished.map((d) => d.outcome)).size).toBeGreaterThan(4);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(deliveries.length);
  });

  it('post_call_transcription carries the person and the data collection the insights read', () => {
    const { deliveries } = simulateCalls({ calls: 20, days: 3, people: 2, now, seed: 1 });
    const call = deliveries.find((d) => d.kind === 'post_call_transcription')!;
    const data = call.body.data as Record<string, any>;
    expect(data.user_id).toBe(call.person.externalId);
    expect(Object.keys(data.analysis.data_collection_results)).toEqual(expect.arrayContaining(['call_outcome', 'goals', 'challenges', 'action_items', 'key_points', 'mood']));
    expect(JSON.parse(data.analysis.data_collection_results.goals.value)).toEqual(expect.any(Array));
    expect(data.metadata.start_time_unix_secs).toBe(Math.floor(call.startedAt.getTime() / 1000));
  });

  it('is reproducible from its seed', () => {
    const ids = (seed: number) => simulateCalls({ calls: 10, days: 5, people: 3, now, seed }).deliveries.map((d) => d.id);
    expect(ids(5)).toEqual(ids(5));
    expect(ids(5)).not.toEqual(ids(6));
  });

  it('gives a seed the same calls whatever the hour it runs at (only their times move)', () => {
    const calls = (at: string) =>
      simulateCalls({ calls: 12, days: 5, people: 3, now: new Date(at), seed: 42 })
        .deliveries.map((d) => `${d.kind} ${d.person?.externalId} ${d.outcome}`)
        .sort();
    expect(calls('2026-12-04T00:30:00Z')).toEqual(calls('2026-12-03T23:00:00Z'));
    expect(calls('2026-12-04T00:30:00Z')).toEqual(calls('2026-12-04T15:00:00Z'));
  });
});
