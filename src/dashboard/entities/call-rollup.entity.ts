import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Bucket width of `call_rollups`: every time zone's offset is a multiple of it, so each bucket falls in one local day. */
export const ROLLUP_BUCKET_MINUTES = 15;

/**
 * Calls per 15-minute UTC bucket and (outcome, intent, sentiment), kept by a trigger on `conversation_summaries`
 * (INSERT, UPDATE, DELETE, TRUNCATE: any writer counts). Unknown values are stored as '' so they can be keys.
 * GET /api/dashboard sums these rows instead of scanning the calls.
 */
@Entity('call_rollups')
export class CallRollup {
  @PrimaryColumn({ type: 'timestamptz' })
  bucketStart: Date;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  outcome: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  intent: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  sentiment: string;

  @Column({ type: 'integer', default: 0 })
  calls: number;

  /** calls whose raw outcome was `appointment_booked` */
  @Column({ type: 'integer', default: 0 })
  appointments: number;

  @Column({ type: 'bigint', default: 0 })
  durationTotalSecs: string;

  /** calls with a known duration (the average's denominator) */
  @Column({ type: 'integer', default: 0 })
  durationCalls: number;
}
