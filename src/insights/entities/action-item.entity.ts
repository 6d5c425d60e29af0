import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ACTION_ITEM_STATUSES = ['open', 'done'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** Something the person said they would do: open until marked done (by them, or by a later call's data collection). */
@Entity('action_items')
@Index(['userId', 'normalizedText'], { unique: true })
@Index(['userId', 'status', 'createdAt'])
export class ActionItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 1000 })
  text: string;

  /** Lower-case, punctuation and extra spaces dropped: the same item said twice is one row. */
  @Column({ type: 'varchar', length: 1000 })
  normalizedText: string;

  @Column({ type: 'varchar', length: 8, default: 'open' })
  status: ActionItemStatus;

  /** ElevenLabs conversation id where the item was first seen (null for tool-saved items without one). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  /** conversation_sessions.id, for items saved by a tool mid-call. */
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  doneAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
