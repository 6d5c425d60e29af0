import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LockBusyError } from '../database/lock-busy.js';
import type { OnboardingPhase } from '../users/entities/user.entity.js';
import { ProfileUserNotFoundError } from './insights.errors.js';
import { type PersonalisationVariables, type ProfileVariables, personalisationVariables, variablesFromProfile } from './personalisation-variables.js';
import { type ProfileRow, queryProfile, queryProfileWithSnapshotVersion } from './profile.query.js';
/** One advisory lock per person's insights (`userId`: an SQL expression of the user id). */
const personLockKey = (userId: string) => `hashtextextended('user_insights:' || ${userId}::text, 0)`;

/**
 * Takes a person's insights lock without waiting, for the rest of the transaction: an SQL expression, true when
 * taken, false when another transaction holds it (`userId`: an SQL expression of the user id).
 */
export const TRY_LOCK_PERSON_SQL = (userId: string) => `pg_try_advisory_xact_lock(${personLockKey(userId)})`;

/**
 * Marks people's variables stale (a version bump; a missing row is created, stale): what webhook processing
 * does, so a burst of calls does not pay the profile aggregate per call; the next read recomputes them. Run
 * under the people's insights locks. `userIds` is a query giving one column of user ids.
 */
export const MARK_SNAPSHOTS_STALE_SQL = (userIds: string) =>
  `INSERT INTO user_profile_snapshots (user_id, version, variables_version, updated_at) SELECT u.id, 1, 0, now() FROM (${userIds}) AS u(id)
   ON CONFLICT (user_id) DO UPDATE SET version = user_profile_snapshots.version + 1, updated_at = now()`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What we know about a person, aggregated from their conversations, insights and action items (ISO dates). */
export interface UserProfile {
  userId: string;
  displayName: string;
  onboardingPhase: OnboardingPhase;
  conversationCount: number;
  firstConversationAt: string | null;
  lastConversationAt: string | null;
  lastSummary: string | null;
  /** Latest first, de-duplicated (case-insensitive). */
  goals: string[];
  openActionItems: Array<{ id: string; text: string; createdAt: string }>;
  doneActionItems: Array<{ id: string; text: string; doneAt: string }>;
  /** Topics found in two or more conversations, most frequent first. */
  recurringTopics: Array<{ topic: string; count: number }>;
  /** Challenges the person named, with the number of conversations naming each, most frequent first. */
  recurringChallenges: Array<{ text: string; count: number }>;
  /** The last 10 conversations' sentiment, oldest first. */
  sentimentTrend: Array<{ conversationId: string | null; at: string; score: number; label: string }>;
  /** Data collection `coaching_style` (latest), else the coaching style of the rooms the person used most. */
  coachingStyle: string | null;
  /** Tool-saved insights of other types (`save-insight` with e.g. type `note`, `preference`), latest first. */
  notes: Array<{ id: string; type: string; text: string; createdAt: string }>;
  variables: PersonalisationVariables;
}

const iso = (value: string | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

export function toUserProfile(row: ProfileRow, userId: string): UserProfile {
  const user = row.user;
  const coachingStyle = row.collected_style || row.room_style || null;
  const profile: Omit<UserProfile, 'variables'> = {
    userId,
    displayName: user?.display_name ?? '',
    onboardingPhase: (user?.onboarding_phase ?? 'goal_discovery') as OnboardingPhase,
    conversationCount: row.conversations.count,
    firstConversationAt: iso(row.conversations.first_at),
    lastConversationAt: iso(row.conversations.last_at),
    lastSummary: row.conversations.last_summary,
    goals: row.goals.map((goal) => goal.text),
    openActionItems: row.open_items.map((item) => ({ id: item.id, text: item.text, createdAt: iso(item.created_at)! })),
    doneActionItems: row.done_items.map((item) => ({ id: item.id, text: item.text, doneAt: iso(item.done_at)! })),
    recurringTopics: row.topics,
    recurringChallenges: row.challenges,
    sentimentTrend: row.sentiment.map((point) => ({ conversationId: point.conversation_id, at: iso(point.at)!, score: point.score, label: point.label })),
    coachingStyle,
    notes: row.notes.map((note) => ({ id: note.id, type: note.type, text: note.text ?? '', createdAt: iso(note.created_at)! })),
  };
  return { ...profile, variables: personalisationVariables(variablesFromProfile(profile), { displayName: profile.displayName, onboardingPhase: profile.onboardingPhase }) };
}

/**
 * The profile (`GET /api/users/me/profile`, the `/me` page, the agent's tools) and the snapshot of its
 * variables that the room page reads. One SQL statement per profile.
 */
@Injectable()
export class ProfileService {
  constructor(private readonly dataSource: DataSource) {}

  async profileFor(userId: string): Promise<UserProfile> {
    if (!UUID.test(userId)) throw new ProfileUserNotFoundError(userId);
    const row = await queryProfile(this.dataSource.manager, userId);
    if (!row.user) throw new ProfileUserNotFoundError(userId);
    return toUserProfile(row, userId);
  }

  /**
   * Recomputes the person's insight variables and stores them (inside the caller's transaction, after its
   * writes), for writes a person waits on (a tool call, a ticked action item). Callers hold the person's
   * insights lock, so concurrent writers cannot store an older view over a newer one.
   */
  async refreshSnapshot(userId: string, manager: EntityManager): Promise<ProfileVariables> {
    const row = await queryProfile(manager, userId);
    const variables = variablesFromProfile(toUserProfile(row, userId));
    await manager.query(
      `INSERT INTO user_profile_snapshots (user_id, variables, version, variables_version, updated_at) VALUES ($1, $2::jsonb, 1, 1, now())
       ON CONFLICT (user_id) DO UPDATE SET variables = EXCLUDED.variables, version = user_profile_snapshots.version + 1,
         variables_version = user_profile_snapshots.version + 1, updated_at = now()`,
      [userId, JSON.stringify(variables)],
    );
    return variables;
  }

  /** Serialises writers of one person's insights until the transaction ends. */
  async lockPerson(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(${personLockKey('$1')})`, [userId]);
  }

  /**
   * The same lock for a transaction that writes several people (a batch of finished calls): taken without
   * waiting, else LockBusyError, so two batches each holding one person never deadlock on the other's.
   */
  async lockPersonOrDefer(userId: string, manager: EntityManager): Promise<void> {
    const [{ locked }]: Array<{ locked: boolean }> = await manager.query(`SELECT ${TRY_LOCK_PERSON_SQL('$1')} AS locked`, [userId]);
    if (!locked) throw new LockBusyError(`the insights of person ${userId}`);
  }

  /**
   * The snapshot of a person's variables. A stale one (insights written since) or a missing one (a new person,
   * or from before insights existed) is computed and stored, unless a writer changed the person meanwhile
   * (stored at the version read with the profile; a row a writer holds is skipped, not waited for).
   */
  async snapshotVariables(userId: string): Promise<ProfileVariables> {
    const rows: Array<{ variables: ProfileVariables; fresh: boolean }> = await this.dataSource.query(
      `SELECT variables, version = variables_version AS fresh FROM user_profile_snapshots WHERE user_id = $1`,
      [userId],
    );
    if (rows[0]?.fresh) return rows[0].variables;
    const row = await queryProfileWithSnapshotVersion(this.dataSource.manager, userId);
    const variables = variablesFromProfile(toUserProfile(row, userId));
    if (!row.user) return variables;
    const json = JSON.stringify(variables);
    if (row.snapshot_version === null) {
      await this.dataSource.query(
        `INSERT INTO user_profile_snapshots (user_id, variables, version, variables_version, updated_at) VALUES ($1, $2::jsonb, 0, 0, now()) ON CONFLICT (user_id) DO NOTHING`,
        [userId, json],
      );
    } else {
      await this.dataSource.query(
        `UPDATE user_profile_snapshots SET variables = $2::jsonb, variables_version = $3, updated_at = now()
          WHERE user_id = (SELECT user_id FROM user_profile_snapshots WHERE user_id = $1 AND version = $3 FOR UPDATE SKIP LOCKED)`,
        [userId, json, row.snapshot_version],
      );
    }
    return variables;
  }
}
