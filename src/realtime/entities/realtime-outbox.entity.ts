import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Realtime events too large for a NOTIFY payload: written in the publishing transaction, read back by each
 * instance's listener when the notification (which carries only the id) arrives. Rows older than an hour go.
 */
@Entity('realtime_outbox')
export class RealtimeOutbox {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The whole RealtimeEvent. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
