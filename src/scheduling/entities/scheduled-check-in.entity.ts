import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CallbackStatus } from './callback-task.entity.js';

@Entity('scheduled_check_ins')
@Index(['status', 'nextAttemptAt'])
@Index(['userId', 'scheduledFor'])
export class ScheduledCheckIn {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'timestamptz' })
  scheduledFor: Date;

  /** RRULE; when set, the next occurrence is scheduled as one completes. */
  @Column({ type: 'text', nullable: true })
  recurrence: string | null;

  @Column({ type: 'varchar', length: 8, default: 'call' })
  channel: 'call' | 'sms';

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: CallbackStatus;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer', default: 3 })
  maxAttempts: number;

  @Index()
  @Column({ type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
