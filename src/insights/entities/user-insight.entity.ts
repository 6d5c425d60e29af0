import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('user_insights')
@Index(['userId', 'insightType', 'createdAt'])
@Index(['conversationId', 'insightType'])
export class UserInsight {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 64 })
  insightType: string;

  @Column({ type: 'jsonb' })
  insightData: Record<string, unknown>;

  /** ElevenLabs conversation id the insight came from (null when saved by a tool without one). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  conversationId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
