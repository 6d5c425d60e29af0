import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SummarySource = 'webhook' | 'reconciler' | 'calls_api';

/** One finished call, from a webhook, the reconciler or the flat /api/calls format. */
@Entity('conversation_summaries')
@Index(['userId', 'startedAt'])
@Index(['startedAt'])
@Index(['calledAt', 'id'])
// Full-text search of GET /api/calls?q= (GIN over title + summary); hand-written in its migration.
@Index('IDX_conversation_summaries_fts', { synchronize: false })
export class ConversationSummary {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** ElevenLabs conversation id (or the call_id of /api/calls). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 128 })
  conversationId: string;

  /** conversation_sessions.id when matched */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  roomId: string | null;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  userName: string | null;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  title: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  keyPoints: unknown[];

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  actionItems: unknown[];

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  dataCollection: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  evaluation: Record<string, unknown>;

  @Column({ type: 'boolean', nullable: true })
  callSuccessful: boolean | null;

  @Column({ type: 'integer', nullable: true })
  durationSecs: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Index()
  @Column({ type: 'varchar', length: 64, nullable: true })
  outcome: string | null;

  /** The outcome as the caller's system named it (`appointment_booked`, normalised key), before mapping. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  rawOutcome: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  intent: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  sentiment: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  callerName: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  fromNumber: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  toNumber: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  agentId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'webhook' })
  source: SummarySource;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** When the call happened: started_at, else when the row was stored. Written by PostgreSQL (lists and rollups key on it). */
  @Column({ type: 'timestamptz', generatedType: 'STORED', asExpression: 'COALESCE(started_at, created_at)', insert: false, update: false })
  calledAt: Date;
}
