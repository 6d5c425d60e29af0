import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ROOM_KINDS = ['goal_discovery', 'coaching_style_discovery', 'coaching'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

@Entity('rooms')
export class Room {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'varchar', length: 32, default: 'coaching' })
  kind: RoomKind;

  /** Null: the agent setting, else ELEVENLABS_AGENT_ID. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  agentId: string | null;

  /** The agent has platform_settings.auth.enable_auth: the page must use a signed URL. */
  @Column({ type: 'boolean', default: false })
  requiresAuth: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  coachingStyle: string | null;

  @Column({ type: 'text', nullable: true })
  firstMessage: string | null;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
