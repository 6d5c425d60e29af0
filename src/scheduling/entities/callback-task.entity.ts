import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CALLBACK_STATUSES = ['pending', 'dialing', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

@Entity('callback_tasks')
@Index(['status', 'nextAttemptAt'])
@Index(['userId', 'dueAt'])
export class CallbackTask {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 20 })
  phoneNumber: string;

  @Column({ type: 'text', default: '' })
  reason: string;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer', default: 3 })
  maxAttempts: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: CallbackStatus;

  /** The ElevenLabs conversation id of the latest dial. */
  @Index()
  @Column({ type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  /** Twilio call SID of the latest dial. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  callSid: string | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** IANA zone for the call window; null → the person's `users.timezone` (UTC without a person). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
