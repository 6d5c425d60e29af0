import type { EntityManager } from 'typeorm';

/** Insight types the profile reads (tool insights are stored under these canonical names too). */
export const PROFILE_INSIGHT_TYPES = { goals: 'goals', challenges: 'challenges', actionItems: 'action_items', topics: 'topics', sentiment: 'sentiment', coachingStyle: 'coaching_style' } as const;
/** Tool insights of these types feed a profile list; any other type is kept as a note. */
export const TOOL_TYPES_WITH_A_HOME: readonly string[] = [PROFILE_INSIGHT_TYPES.goals, PROFILE_INSIGHT_TYPES.challenges, PROFILE_INSIGHT_TYPES.actionItems];

export const PROFILE_LIMITS = { goals: 20, challenges: 10, topics: 10, openActionItems: 50, doneActionItems: 50, sentimentTrend: 10, notes: 20 } as const;
/** A topic recurs when it was found in at least this many conversations. */
export const RECURRING_TOPIC_MIN_CONVERSATIONS = 2;

/** One row: every aggregate of the profile, each a JSON value. */
export interface ProfileRow {
  user: { id: string; display_name: string; onboarding_phase: string } | null;
  conversations: { count: number; first_at: string | null; last_at: string | null; last_summary: string | null };
  goals: Array<{ text: string }>;
  challenges: Array<{ text: string; count: number }>;
  topics: Array<{ topic: string; count: number }>;
  open_items: Array<{ id: string; text: string; created_at: string }>;
  done_items: Array<{ id: string; text: string; done_at: string }>;
  sentiment: Array<{ conversation_id: string | null; at: string; score: number; label: string }>;
  collected_style: string | null;
  room_style: string | null;
  notes: Array<{ id: string; type: string; text: string; created_at: string }>;
}

/**
 * The whole profile in one statement, every part a scalar subquery over an index of its table (summaries by
 * (user_id, started_at), insights by (user_id, insight_type, created_at), action items by (user_id, status,
 * created_at)). `conversation_id` counts a conversation once; tool insights without one count per insight.
 * Extracted insights carry their conversation's time as created_at, so the order survives replays.
 */
export const PROFILE_SQL = `
SELECT
  (SELECT json_build_object('id', u.id, 'display_name', u.display_name, 'onboarding_phase', u.onboarding_phase) FROM users u WHERE u.id = $1) AS user,
  (SELECT json_build_object(
      'count', count(*)::int,
      'first_at', min(coalesce(s.started_at, s.created_at)),
      'last_at', max(coalesce(s.started_at, s.created_at)),
      'last_summary', (SELECT l.summary FROM conversation_summaries l WHERE l.user_id = $1 AND l.summary IS NOT NULL
                       ORDER BY coalesce(l.started_at, l.created_at) DESC, l.created_at DESC LIMIT 1))
   FROM conversation_summaries s WHERE s.user_id = $1) AS conversations,
  (SELECT coalesce(json_agg(json_build_object('text', g.text) ORDER BY g.created_at DESC, g.n), '[]') FROM (
     SELECT d.text, d.created_at, d.n FROM (
       SELECT DISTINCT ON (lower(e.item)) e.item AS text, i.created_at, e.n
       FROM user_insights i CROSS JOIN LATERAL jsonb_array_elements_text(i.insight_data->'items') WITH ORDINALITY AS e(item, n)
       WHERE i.user_id = $1 AND i.insight_type = 'goals' AND jsonb_typeof(i.insight_data->'items') = 'array'
       ORDER BY lower(e.item), i.created_at DESC, e.n) d
     ORDER BY d.created_at DESC, d.n LIMIT ${PROFILE_LIMITS.goals}) g) AS goals,
  (SELECT coalesce(json_agg(json_build_object('text', c.text, 'count', c.count) ORDER BY c.count DESC, c.last_at DESC), '[]') FROM (
     SELECT (array_agg(e.item ORDER BY i.created_at DESC))[1] AS text,
            count(DISTINCT coalesce(i.conversation_id, i.id::text))::int AS count, max(i.created_at) AS last_at
     FROM user_insights i CROSS JOIN LATERAL jsonb_array_elements_text(i.insight_data->'items') AS e(item)
     WHERE i.user_id = $1 AND i.insight_type = 'challenges' AND jsonb_typeof(i.insight_data->'items') = 'array'
     GROUP BY lower(e.item) ORDER BY 2 DESC, 3 DESC LIMIT ${PROFILE_LIMITS.challenges}) c) AS challenges,
  (SELECT coalesce(json_agg(json_build_object('topic', t.topic, 'count', t.count) ORDER BY t.count DESC, t.topic), '[]') FROM (
     SELECT lower(e.item) AS topic, count(DISTINCT coalesce(i.conversation_id, i.id::text))::int AS count
     FROM user_insights i CROSS JOIN LATERAL jsonb_array_elements_text(i.insight_data->'items') AS e(item)
     WHERE i.user_id = $1 AND i.insight_type = 'topics' AND jsonb_typeof(i.insight_data->'items') = 'array'
     GROUP BY lower(e.item) HAVING count(DISTINCT coalesce(i.conversation_id, i.id::text)) >= ${RECURRING_TOPIC_MIN_CONVERSATIONS}
     ORDER BY 2 DESC, 1 LIMIT ${PROFILE_LIMITS.topics}) t) AS topics,
  (SELECT coalesce(json_agg(json_build_object('id', a.id, 'text', a.text, 'created_at', a.created_at) ORDER BY a.created_at DESC, a.id DESC), '[]') FROM (
     SELECT id, text, created_at FROM action_items WHERE user_id = $1 AND status = 'open'
     ORDER BY created_at DESC, id DESC LIMIT ${PROFILE_LIMITS.openActionItems}) a) AS open_items,
  (SELECT coalesce(json_agg(json_build_object('id', a.id, 'text', a.text, 'done_at', a.done_at) ORDER BY a.done_at DESC, a.id DESC), '[]') FROM (
     SELECT id, text, done_at FROM action_items WHERE user_id = $1 AND status = 'done'
     ORDER BY done_at DESC, id DESC LIMIT ${PROFILE_LIMITS.doneActionItems}) a) AS done_items,
  (SELECT coalesce(json_agg(json_build_object('conversation_id', v.conversation_id, 'at', v.created_at, 'score', v.score, 'label', v.label) ORDER BY v.created_at, v.id), '[]') FROM (
     SELECT id, conversation_id, created_at, (insight_data->>'score')::float8 AS score, insight_data->>'label' AS label
     FROM user_insights WHERE user_id = $1 AND insight_type = 'sentiment'
     ORDER BY created_at DESC, id DESC LIMIT ${PROFILE_LIMITS.sentimentTrend}) v) AS sentiment,
  (SELECT coalesce(i.insight_data->>'value', array_to_string(ARRAY(SELECT jsonb_array_elements_text(i.insight_data->'items')), '; '))
   FROM user_insights i WHERE i.user_id = $1 AND i.insight_type = 'coaching_style'
   ORDER BY i.created_at DESC, i.id DESC LIMIT 1) AS collected_style,
  (SELECT r.coaching_style FROM conversation_summaries s JOIN rooms r ON r.id = s.room_id
   WHERE s.user_id = $1 AND r.coaching_style IS NOT NULL AND r.coaching_style <> ''
   GROUP BY r.coaching_style ORDER BY count(*) DESC, max(coalesce(s.started_at, s.created_at)) DESC LIMIT 1) AS room_style,
  (SELECT coalesce(json_agg(json_build_object('id', n.id, 'type', n.insight_type, 'text', n.text, 'created_at', n.created_at) ORDER BY n.created_at DESC, n.id DESC), '[]') FROM (
     SELECT id, insight_type, created_at,
            coalesce(insight_data->>'value', array_to_string(ARRAY(SELECT jsonb_array_elements_text(insight_data->'items')), '; ')) AS text
     FROM user_insights WHERE user_id = $1 AND source = 'tool' AND insight_type <> ALL($2::varchar[])
     ORDER BY created_at DESC, id DESC LIMIT ${PROFILE_LIMITS.notes}) n) AS notes
`;

export async function queryProfile(manager: EntityManager, userId: string): Promise<ProfileRow> {
  const [row] = (await manager.query(PROFILE_SQL, [userId, TOOL_TYPES_WITH_A_HOME])) as ProfileRow[];
  return row;
}

/** The profile and the snapshot's version in one statement, so both are read from the same database snapshot. */
export async function queryProfileWithSnapshotVersion(manager: EntityManager, userId: string): Promise<ProfileRow & { snapshot_version: number | null }> {
  const [row] = (await manager.query(`${PROFILE_SQL}, (SELECT version FROM user_profile_snapshots WHERE user_id = $1) AS snapshot_version`, [
    userId,
    TOOL_TYPES_WITH_A_HOME,
  ])) as Array<ProfileRow & { snapshot_version: number | null }>;
  return row;
}
