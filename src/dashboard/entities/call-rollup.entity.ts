import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Bucket width of `call_rollups` and `call_counts`: every zone's UTC offset is a multiple of it, so a bucket falls in one local day. */
export const ROLLUP_BUCKET_MINUTES = 15;
/** Counter rows per bucket (see the migration RollupShards: `pg_backend_pid() % 64`). */
export const ROLLUP_SHARDS = 64;

/**
 * The three tables below are kept by a trigger on `conversation_summaries` (INSERT, UPDATE, DELETE, TRUNCATE: any
 * writer counts); GET /api/dashboard sums them instead of scanning calls. Unknown outcome/intent/sentiment is ''.
 * - `call_counts`: calls per 15-minute UTC bucket (calls per local day, calls today, in any zone);
 * - `call_rollups_daily`: per UTC day and (outcome, intent, sentiment): the breakdowns of whole UTC days in a range;
 * - `call_rollups`: the same per 15-minute bucket, for the partial UTC days at either end of a range in a non-UTC zone.
 * Each row is also keyed by `shard` (the writing backend's pid mod ROLLUP_SHARDS): concurrent processing transactions
 * add to different rows instead of queueing on one counter row per bucket until commit; readers sum the shards.
 */
abstract class CallBreakdownRollup {
  @PrimaryColumn({ type: 'timestamptz' })
  bucketStart: Date;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  outcome: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  intent: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  sentiment: string;

  @PrimaryColumn({ type: 'smallint', default: 0 })
  shard: number;

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

@Entity('call_rollups')
export class CallRollup extends CallBreakdownRollup {}

@Entity('call_rollups_daily')
export class CallRollupDaily extends CallBreakdownRollup {}

@Entity('call_counts')
export class CallCount {
  @PrimaryColumn({ type: 'timestamptz' })
  bucketStart: Date;

  @PrimaryColumn({ type: 'smallint', default: 0 })
  shard: number;

  @Column({ type: 'integer', default: 0 })
  calls: number;
}
