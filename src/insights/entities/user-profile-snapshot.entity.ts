import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The person's insight-derived dynamic variables, recomputed (by the profile aggregate) whenever their insights
 * change, so the room page and conversation starts read one row by key instead of aggregating on every view.
 */
@Entity('user_profile_snapshots')
export class UserProfileSnapshot {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  /** conversation_count, last_conversation_summary, open_action_items, recurring_topics, goals, coaching_style, selected_goals. */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  variables: Record<string, string>;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
