import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * The recording of a call, from a `post_call_audio` webhook (base64 MP3, decoded). Kept in PostgreSQL
 * (bytea) so every instance can serve it and backups hold it; one row per ElevenLabs conversation.
 */
@Entity('conversation_audio')
export class ConversationAudio {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** ElevenLabs conversation id. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 128 })
  conversationId: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  agentId: string | null;

  @Column({ type: 'varchar', length: 64, default: 'audio/mpeg' })
  contentType: string;

  @Column({ type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'bytea', select: false })
  data: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
