import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Key → JSON value; e.g. `agent` holds { agent_id, phone_number_id } and wins over the environment. */
@Entity('settings')
export class Setting {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'jsonb' })
  value: Record<string, unknown>;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
