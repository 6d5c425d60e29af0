import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One row per dial. A retry is a new attempt; a crash never redials one. */
@Entity('call_attempts')
@Index(['taskType', 'taskId', 'attemptNo'], { unique: true })
@Index('IDX_call_attempts_dialing', ['requestedAt'], { where: `"status" = 'dialing'` })
export class CallAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  taskType: 'callback' | 'check_in' | 'manual';

  @Column({ type: 'uuid' })
  taskId: string;

  @Column({ type: 'integer' })
  attemptNo: number;

  /** dialing (claimed; the dial may be in flight) → initiated | failed | unknown (crash, not found) → completed. */
  @Column({ type: 'varchar', length: 16, default: 'requested' })
  status: string;

  /** The person dialled (null for a bare phone number); `user_id` of the call, used to find it after a crash. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  agentId: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  toNumber: string | null;

  @Index()
  @Column({ type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  callSid: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Index()
  @Column({ type: 'timestamptz', default: () => 'now()' })
  requestedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
