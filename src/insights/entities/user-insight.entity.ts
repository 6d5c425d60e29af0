import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const INSIGHT_SOURCES = ['data_collection', 'nlp', 'tool'] as const;
export type InsightSource = (typeof INSIGHT_SOURCES)[number];

@Entity('user_insights')
@Index(['userId', 'insightType', 'createdAt'])
@Index(['userId', 'createdAt'])
@Index(['conversationId', 'insightType'])
export class UserInsight {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 64 })
  insightType: string;

  /** `{ items: string[] }` for list types, `{ value }` otherwise (see docs/insights.md). */
  @Column({ type: 'jsonb' })
  insightData: Record<string, unknown>;

  /** ElevenLabs conversation id the insight came from (null when saved by a tool without one). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  /** Where it came from: the agent's data collection, our NLP (topics, sentiment), or a tool call mid-call. */
  @Column({ type: 'varchar', length: 16, default: 'data_collection' })
  source: InsightSource;

  /** conversation_sessions.id of the call that saved it (tool insights). */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  /** The conversation's start for extracted insights (stable across replays), now for tool insights. */
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
