import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ConversationSession } from './conversation-session.entity.js';

export type MessageRole = 'user' | 'agent';
export type MessageSource = 'client' | 'webhook';

@Entity('conversation_messages')
// Also the index of a session's messages: they are read per session and sorted by time in memory (a call has tens
// of lines), so a second index by (session, time) cost every inserted line more than it saved any read.
@Index(['sessionId', 'clientMessageId'], { unique: true })
export class ConversationMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** conversation_sessions.id */
  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => ConversationSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: Relation<ConversationSession>;

  @Column({ type: 'varchar', length: 8 })
  role: MessageRole;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'double precision', nullable: true })
  timeInCallSecs: number | null;

  @Column({ type: 'varchar', length: 8, default: 'client' })
  source: MessageSource;

  /** Idempotency key within the session: the same message saved twice is stored once. */
  @Column({ type: 'varchar', length: 128 })
  clientMessageId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
