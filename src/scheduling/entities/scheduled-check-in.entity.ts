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

  /** Twilio call SID of the latest dial. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  callSid: string | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** IANA zone of the recurrence and the call window; null → the person's `users.timezone`. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  /** First occurrence of the series (the RRULE's DTSTART, so COUNT/UNTIL hold across occurrences). */
  @Column({ type: 'timestamptz', nullable: true })
  seriesStart: Date | null;

  /** The occurrence this one follows; unique, so a series continues exactly once. */
  @Index({ unique: true, where: '"previous_check_in_id" IS NOT NULL' })
  @Column({ type: 'uuid', nullable: true })
  previousCheckInId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
