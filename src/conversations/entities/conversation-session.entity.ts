import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { Room } from '../../rooms/entities/room.entity.js';
import { User } from '../../users/entities/user.entity.js';

export const SESSION_STATUSES = ['active', 'ended', 'expired', 'failed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type SessionChannel = 'web' | 'phone';

@Entity('conversation_sessions')
@Index(['userId', 'roomId', 'status', 'startedAt'])
@Index(['status', 'startedAt'])
export class ConversationSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Handed to the widget as the `session_id` dynamic variable. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  sessionId: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  roomId: string | null;

  @ManyToOne(() => Room, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'room_id' })
  room?: Relation<Room>;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  customCallId: string;

  @Index({ unique: true, where: 'elevenlabs_conversation_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 128, nullable: true })
  elevenlabsConversationId: string | null;

  /** The ElevenLabs agent this session talks to (room agent, else the agent setting, else ELEVENLABS_AGENT_ID). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  agentId: string | null;

  @Column({ type: 'varchar', length: 32, default: 'coaching' })
  sessionType: string;

  @Column({ type: 'varchar', length: 8, default: 'web' })
  channel: SessionChannel;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: SessionStatus;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
