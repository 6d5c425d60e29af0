import { MigrationInterface, QueryRunner } from "typeorm";

export class DashboardRollups1796328484803 implements MigrationInterface {
    name = 'DashboardRollups1796328484803'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "call_rollups" (
                "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "outcome" character varying(64) NOT NULL,
                "intent" character varying(64) NOT NULL,
                "sentiment" character varying(16) NOT NULL,
                "calls" integer NOT NULL DEFAULT '0',
                "appointments" integer NOT NULL DEFAULT '0',
                "duration_total_secs" bigint NOT NULL DEFAULT '0',
                "duration_calls" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_db1bc0a4bdbc9a6b5fc8c6d357c" PRIMARY KEY ("bucket_start", "outcome", "intent", "sentiment")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "call_rollups_daily" (
                "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "outcome" character varying(64) NOT NULL,
                "intent" character varying(64) NOT NULL,
                "sentiment" character varying(16) NOT NULL,
                "calls" integer NOT NULL DEFAULT '0',
                "appointments" integer NOT NULL DEFAULT '0',
                "duration_total_secs" bigint NOT NULL DEFAULT '0',
                "duration_calls" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_call_rollups_daily" PRIMARY KEY ("bucket_start", "outcome", "intent", "sentiment")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "call_counts" (
                "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "calls" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_call_counts" PRIMARY KEY ("bucket_start")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ADD "raw_outcome" character varying(64)
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ADD "called_at" TIMESTAMP WITH TIME ZONE GENERATED ALWAYS AS (COALESCE(started_at, created_at)) STORED NOT NULL
        `);
        await queryRunner.query(`
            INSERT INTO "typeorm_metadata"(
                    "database",
                    "schema",
                    "table",
                    "type",
                    "name",
                    "value"
                )
            VALUES (current_database(), current_schema(), $1, $2, $3, $4)
        `, ["conversation_summaries","GENERATED_COLUMN","called_at","COALESCE(started_at, created_at)"]);
        await queryRunner.query(`
            CREATE INDEX "IDX_c58884a84132e52a6d1c236168" ON "conversation_summaries" ("called_at", "id")
        `);
        // Hand-written below: full-text index, and the trigger that keeps call_rollups (docs/dashboard.md).
        await queryRunner.query(`
            CREATE INDEX "IDX_conversation_summaries_fts" ON "conversation_summaries"
            USING GIN (to_tsvector('english', coalesce("title", '') || ' ' || coalesce("summary", '')))
        `);
        // Adds (sign 1) or removes (sign -1) one call's contribution to its 15-minute bucket, its UTC day and its count.
        await queryRunner.query(`
            CREATE FUNCTION call_rollups_apply(p_at timestamptz, p_outcome text, p_intent text, p_sentiment text,
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
            CREATE FUNCTION conversation_summaries_rollup() RETURNS trigger
            LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    DELETE FROM call_rollups;
                    DELETE FROM call_rollups_daily;
                    DELETE FROM call_counts;
                    RETURN NULL;
                END IF;
                IF TG_OP = 'UPDATE' AND (OLD.called_at, OLD.outcome, OLD.intent, OLD.sentiment, OLD.raw_outcome, OLD.duration_secs)
                        IS NOT DISTINCT FROM (NEW.called_at, NEW.outcome, NEW.intent, NEW.sentiment, NEW.raw_outcome, NEW.duration_secs) THEN
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    PERFORM call_rollups_apply(OLD.called_at, OLD.outcome, OLD.intent, OLD.sentiment, OLD.raw_outcome, OLD.duration_secs, -1);
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    PERFORM call_rollups_apply(NEW.called_at, NEW.outcome, NEW.intent, NEW.sentiment, NEW.raw_outcome, NEW.duration_secs, 1);
                END IF;
                RETURN NULL;
            END
            $fn$
        `);
        await queryRunner.query(`
            CREATE TRIGGER conversation_summaries_rollup AFTER INSERT OR UPDATE OR DELETE ON conversation_summaries
            FOR EACH ROW EXECUTE FUNCTION conversation_summaries_rollup()
        `);
        await queryRunner.query(`
            CREATE TRIGGER conversation_summaries_rollup_truncate AFTER TRUNCATE ON conversation_summaries
            FOR EACH STATEMENT EXECUTE FUNCTION conversation_summaries_rollup()
        `);
        // Calls stored before this migration.
        for (const [table, width] of [['call_rollups', '15 minutes'], ['call_rollups_daily', '1 day']]) {
            await queryRunner.query(`
                INSERT INTO ${table} (bucket_start, outcome, intent, sentiment, calls, appointments, duration_total_secs, duration_calls)
                SELECT date_bin('${width}', called_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), coalesce(outcome, ''), coalesce(intent, ''), coalesce(sentiment, ''),
                       count(*), count(*) FILTER (WHERE raw_outcome = 'appointment_booked'), coalesce(sum(duration_secs), 0), count(duration_secs)
                FROM conversation_summaries GROUP BY 1, 2, 3, 4
            `);
        }
        await queryRunner.query(`
            INSERT INTO call_counts (bucket_start, calls)
            SELECT date_bin('15 minutes', called_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), count(*) FROM conversation_summaries GROUP BY 1
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER conversation_summaries_rollup_truncate ON conversation_summaries`);
        await queryRunner.query(`DROP TRIGGER conversation_summaries_rollup ON conversation_summaries`);
        await queryRunner.query(`DROP FUNCTION conversation_summaries_rollup()`);
        await queryRunner.query(`DROP FUNCTION call_rollups_apply(timestamptz, text, text, text, text, integer, integer)`);
        await queryRunner.query(`DROP INDEX "public"."IDX_conversation_summaries_fts"`);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c58884a84132e52a6d1c236168"
        `);
        await queryRunner.query(`
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = current_database()
                AND "schema" = current_schema()
                AND "table" = $3
        `, ["GENERATED_COLUMN","called_at","conversation_summaries"]);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries" DROP COLUMN "called_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries" DROP COLUMN "raw_outcome"
        `);
        await queryRunner.query(`
            DROP TABLE "call_rollups"
        `);
        await queryRunner.query(`DROP TABLE "call_counts"`);
        await queryRunner.query(`DROP TABLE "call_rollups_daily"`);
    }

}
