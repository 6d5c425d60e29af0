import { MigrationInterface, QueryRunner } from "typeorm";

export class RollupShards1796366516212 implements MigrationInterface {
    name = 'RollupShards1796366516212'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "call_rollups"
            ADD "shard" smallint NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups" DROP CONSTRAINT "PK_db1bc0a4bdbc9a6b5fc8c6d357c"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups"
            ADD CONSTRAINT "PK_4084d859e6652c29b68182a9c15" PRIMARY KEY (
                    "bucket_start",
                    "outcome",
                    "intent",
                    "sentiment",
                    "shard"
                )
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups_daily"
            ADD "shard" smallint NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups_daily" DROP CONSTRAINT "PK_call_rollups_daily"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups_daily"
            ADD CONSTRAINT "PK_call_rollups_daily" PRIMARY KEY (
                    "bucket_start",
                    "outcome",
                    "intent",
                    "sentiment",
                    "shard"
                )
        `);
        await queryRunner.query(`
            ALTER TABLE "call_counts"
            ADD "shard" smallint NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "call_counts" DROP CONSTRAINT "PK_call_counts"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_counts"
            ADD CONSTRAINT "PK_call_counts" PRIMARY KEY ("bucket_start", "shard")
        `);
        // Hand-written: each call's contribution goes to the writing backend's shard (pg_backend_pid() % 64), so
        // concurrent processing transactions no longer wait on one counter row per bucket until the other commits.
        await queryRunner.query(`
            CREATE OR REPLACE FUNCTION call_rollups_apply(p_at timestamptz, p_outcome text, p_intent text, p_sentiment text,
                                                          p_raw_outcome text, p_duration integer, p_sign integer) RETURNS void
            LANGUAGE plpgsql AS $fn$
            DECLARE
                v_quarter timestamptz := date_bin('15 minutes', p_at, TIMESTAMPTZ '2000-01-01 00:00:00+00');
                v_day timestamptz := date_bin('1 day', p_at, TIMESTAMPTZ '2000-01-01 00:00:00+00');
                v_appointments integer := CASE WHEN p_raw_outcome = 'appointment_booked' THEN p_sign ELSE 0 END;
                v_duration bigint := coalesce(p_duration, 0)::bigint * p_sign;
                v_duration_calls integer := CASE WHEN p_duration IS NULL THEN 0 ELSE p_sign END;
                v_shard smallint := (pg_backend_pid() % 64)::smallint;
            BEGIN
                INSERT INTO call_counts AS r (bucket_start, shard, calls) VALUES (v_quarter, v_shard, p_sign)
                ON CONFLICT (bucket_start, shard) DO UPDATE SET calls = r.calls + EXCLUDED.calls;
                INSERT INTO call_rollups AS r (bucket_start, outcome, intent, sentiment, shard, calls, appointments, duration_total_secs, duration_calls)
                VALUES (v_quarter, coalesce(p_outcome, ''), coalesce(p_intent, ''), coalesce(p_sentiment, ''), v_shard, p_sign, v_appointments, v_duration, v_duration_calls)
                ON CONFLICT (bucket_start, outcome, intent, sentiment, shard) DO UPDATE SET
                    calls = r.calls + EXCLUDED.calls, appointments = r.appointments + EXCLUDED.appointments,
                    duration_total_secs = r.duration_total_secs + EXCLUDED.duration_total_secs, duration_calls = r.duration_calls + EXCLUDED.duration_calls;
                INSERT INTO call_rollups_daily AS r (bucket_start, outcome, intent, sentiment, shard, calls, appointments, duration_total_secs, duration_calls)
                VALUES (v_day, coalesce(p_outcome, ''), coalesce(p_intent, ''), coalesce(p_sentiment, ''), v_shard, p_sign, v_appointments, v_duration, v_duration_calls)
                ON CONFLICT (bucket_start, outcome, intent, sentiment, shard) DO UPDATE SET
                    calls = r.calls + EXCLUDED.calls, appointments = r.appointments + EXCLUDED.appointments,
                    duration_total_secs = r.duration_total_secs + EXCLUDED.duration_total_secs, duration_calls = r.duration_calls + EXCLUDED.duration_calls;
            END
            $fn$
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Hand-written: the shards folded back into one row per bucket before the shard column goes.
        await queryRunner.query(`
            CREATE TEMP TABLE rollup_totals ON COMMIT DROP AS
            SELECT bucket_start, outcome, intent, sentiment, sum(calls)::int AS calls, sum(appointments)::int AS appointments,
                   sum(duration_total_secs)::bigint AS duration_total_secs, sum(duration_calls)::int AS duration_calls, 'quarter' AS width
              FROM call_rollups GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT bucket_start, outcome, intent, sentiment, sum(calls)::int, sum(appointments)::int, sum(duration_total_secs)::bigint, sum(duration_calls)::int, 'day'
              FROM call_rollups_daily GROUP BY 1, 2, 3, 4
        `);
        await queryRunner.query(`CREATE TEMP TABLE count_totals ON COMMIT DROP AS SELECT bucket_start, sum(calls)::int AS calls FROM call_counts GROUP BY 1`);
        await queryRunner.query(`DELETE FROM call_rollups; DELETE FROM call_rollups_daily; DELETE FROM call_counts`);
        await queryRunner.query(`
            INSERT INTO call_rollups (bucket_start, outcome, intent, sentiment, shard, calls, appointments, duration_total_secs, duration_calls)
            SELECT bucket_start, outcome, intent, sentiment, 0, calls, appointments, duration_total_secs, duration_calls FROM rollup_totals WHERE width = 'quarter'
        `);
        await queryRunner.query(`
            INSERT INTO call_rollups_daily (bucket_start, outcome, intent, sentiment, shard, calls, appointments, duration_total_secs, duration_calls)
            SELECT bucket_start, outcome, intent, sentiment, 0, calls, appointments, duration_total_secs, duration_calls FROM rollup_totals WHERE width = 'day'
        `);
        await queryRunner.query(`INSERT INTO call_counts (bucket_start, shard, calls) SELECT bucket_start, 0, calls FROM count_totals`);
        // The one-row-per-bucket function of DashboardRollups (shards summed into shard 0 above).
        await queryRunner.query(`
            CREATE OR REPLACE FUNCTION call_rollups_apply(p_at timestamptz, p_outcome text, p_intent text, p_sentiment text,
                                                          p_raw_outcome text, p_duration integer, p_sign integer) RETURNS void
            LANGUAGE plpgsql AS $fn$
            DECLARE
                v_quarter timestamptz := date_bin('15 minutes', p_at, TIMESTAMPTZ '2000-01-01 00:00:00+00');
                v_day timestamptz := date_bin('1 day', p_at, TIMESTAMPTZ '2000-01-01 00:00:00+00');
                v_appointments integer := CASE WHEN p_raw_outcome = 'appointment_booked' THEN p_sign ELSE 0 END;
                v_duration bigint := coalesce(p_duration, 0)::bigint * p_sign;
                v_duration_calls integer := CASE WHEN p_duration IS NULL THEN 0 ELSE p_sign END;
            BEGIN
                INSERT INTO call_counts AS r (bucket_start, calls) VALUES (v_quarter, p_sign)
                ON CONFLICT (bucket_start) DO UPDATE SET calls = r.calls + EXCLUDED.calls;
                INSERT INTO call_rollups AS r (bucket_start, outcome, intent, sentiment, calls, appointments, duration_total_secs, duration_calls)
                VALUES (v_quarter, coalesce(p_outcome, ''), coalesce(p_intent, ''), coalesce(p_sentiment, ''), p_sign, v_appointments, v_duration, v_duration_calls)
                ON CONFLICT (bucket_start, outcome, intent, sentiment) DO UPDATE SET
                    calls = r.calls + EXCLUDED.calls, appointments = r.appointments + EXCLUDED.appointments,
                    duration_total_secs = r.duration_total_secs + EXCLUDED.duration_total_secs, duration_calls = r.duration_calls + EXCLUDED.duration_calls;
                INSERT INTO call_rollups_daily AS r (bucket_start, outcome, intent, sentiment, calls, appointments, duration_total_secs, duration_calls)
                VALUES (v_day, coalesce(p_outcome, ''), coalesce(p_intent, ''), coalesce(p_sentiment, ''), p_sign, v_appointments, v_duration, v_duration_calls)
                ON CONFLICT (bucket_start, outcome, intent, sentiment) DO UPDATE SET
                    calls = r.calls + EXCLUDED.calls, appointments = r.appointments + EXCLUDED.appointments,
                    duration_total_secs = r.duration_total_secs + EXCLUDED.duration_total_secs, duration_calls = r.duration_calls + EXCLUDED.duration_calls;
            END
            $fn$
        `);
        await queryRunner.query(`
            ALTER TABLE "call_counts" DROP CONSTRAINT "PK_call_counts"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_counts"
            ADD CONSTRAINT "PK_call_counts" PRIMARY KEY ("bucket_start")
        `);
        await queryRunner.query(`
            ALTER TABLE "call_counts" DROP COLUMN "shard"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups_daily" DROP CONSTRAINT "PK_call_rollups_daily"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups_daily"
            ADD CONSTRAINT "PK_call_rollups_daily" PRIMARY KEY ("bucket_start", "outcome", "intent", "sentiment")
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups_daily" DROP COLUMN "shard"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups" DROP CONSTRAINT "PK_4084d859e6652c29b68182a9c15"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups"
            ADD CONSTRAINT "PK_db1bc0a4bdbc9a6b5fc8c6d357c" PRIMARY KEY ("bucket_start", "outcome", "intent", "sentiment")
        `);
        await queryRunner.query(`
            ALTER TABLE "call_rollups" DROP COLUMN "shard"
        `);
    }

}
