import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The person's insight-derived dynamic variables, so the room page and conversation starts read one row by key
 * instead of aggregating on every view. Webhook processing only bumps `version` (the aggregate is not paid per
 * call, under load); the first read after that recomputes and stores them, unless a writer bumped it meanwhile.
 */
@Entity('user_profile_snapshots')
export class UserProfileSnapshot {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  /** conversation_count, last_conversation_summary, open_action_items, recurring_topics, goals, coaching_style, selected_goals. */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  variables: Record<string, string>;

  /** Bumped by every write to the person's insights, conversations or action items. */
  @Column({ type: 'integer', default: 0 })
  version: number;

  /** The `version` that `variables` were computed at: older means stale. */
  @Column({ type: 'integer', default: 0 })
  variablesVersion: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
