import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1795311191405 implements MigrationInterface {
    name = 'Init1795311191405'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "rooms" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "slug" character varying(64) NOT NULL,
                "name" character varying(200) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "kind" character varying(32) NOT NULL DEFAULT 'coaching',
                "agent_id" character varying(128),
                "requires_auth" boolean NOT NULL DEFAULT false,
                "coaching_style" character varying(200),
                "first_message" text,
                "is_active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0368a2d7c215f2d0458a54933f2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_4a252a005ce573079b47a4f38e" ON "rooms" ("slug")
        `);
        await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "external_id" character varying(255) NOT NULL,
                "display_name" character varying(2000) NOT NULL DEFAULT '',
                "email" character varying(320),
                "phone_number" character varying(20),
                "role" character varying(16) NOT NULL DEFAULT 'user',
                "timezone" character varying(64) NOT NULL DEFAULT 'UTC',
                "onboarding_phase" character varying(32) NOT NULL DEFAULT 'goal_discovery',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_11fc776e0ca3573dc195670f63" ON "users" ("external_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_17d1817f241f10a3dbafb169fd" ON "users" ("phone_number")
        `);
        await queryRunner.query(`
            CREATE TABLE "conversation_sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "session_id" character varying(64) NOT NULL,
                "user_id" uuid,
                "room_id" uuid,
                "custom_call_id" character varying(64) NOT NULL,
                "elevenlabs_conversation_id" character varying(128),
                "session_type" character varying(32) NOT NULL DEFAULT 'coaching',
                "channel" character varying(8) NOT NULL DEFAULT 'web',
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f5da074d9b5bf59ea03eaac4b48" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_c152984ce81cc02ee2e6bec4c7" ON "conversation_sessions" ("session_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_9a3cb65b82e40d383930152410" ON "conversation_sessions" ("user_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_3e5f4818ccb97aae67d2bdfdc5" ON "conversation_sessions" ("room_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_963d436995c9b847ed632b7bc1" ON "conversation_sessions" ("custom_call_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_05d15d900ad2cb76a1573225b3" ON "conversation_sessions" ("elevenlabs_conversation_id")
            WHERE elevenlabs_conversation_id IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_663a47e331b77753416fe8cfd7" ON "conversation_sessions" ("status", "started_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7861a27c1f4a1e169ceefab97b" ON "conversation_sessions" ("user_id", "room_id", "status", "started_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "conversation_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "session_id" uuid NOT NULL,
                "role" character varying(8) NOT NULL,
                "message" text NOT NULL,
                "time_in_call_secs" double precision,
                "source" character varying(8) NOT NULL DEFAULT 'client',
                "client_message_id" character varying(128) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_113248f25c4c0a7c179b3f5a609" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8103ae984e7b03a784b0667035" ON "conversation_messages" ("session_id", "time_in_call_secs")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_0222c14fa22b567a92f5724a3d" ON "conversation_messages" ("session_id", "client_message_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "conversation_summaries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "conversation_id" character varying(128) NOT NULL,
                "session_id" uuid,
                "room_id" uuid,
                "user_id" uuid,
                "user_name" character varying(2000),
                "summary" text,
                "title" character varying(500),
                "key_points" jsonb NOT NULL DEFAULT '[]'::jsonb,
                "action_items" jsonb NOT NULL DEFAULT '[]'::jsonb,
                "data_collection" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "evaluation" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "call_successful" boolean,
                "duration_secs" integer,
                "started_at" TIMESTAMP WITH TIME ZONE,
                "outcome" character varying(64),
                "intent" character varying(64),
                "sentiment" character varying(16),
                "caller_name" character varying(200),
                "from_number" character varying(32),
                "to_number" character varying(32),
                "agent_id" character varying(128),
                "source" character varying(16) NOT NULL DEFAULT 'webhook',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2421821182990c781bf5fd1437c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_c27f6a0b85703ac78b7db06c9c" ON "conversation_summaries" ("conversation_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_a627bb7193bbcfa4fa4433ec38" ON "conversation_summaries" ("session_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_a301203f45d0e995057504215f" ON "conversation_summaries" ("room_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_e0c7617f8a340cbef5dbd835b9" ON "conversation_summaries" ("outcome")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_879dbf6fd879da3dd3b0bffeac" ON "conversation_summaries" ("started_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_ebc16067da1a4af2244f94169e" ON "conversation_summaries" ("user_id", "started_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "activity_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "type" character varying(64) NOT NULL,
                "title" character varying(500) NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f8e8d9dbf64f93f58ae52b4a9e4" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7a9fc6a977060472caa3a72504" ON "activity_events" ("type")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_251b3c80e18f768e809a8038d6" ON "activity_events" ("created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "user_insights" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "insight_type" character varying(64) NOT NULL,
                "insight_data" jsonb NOT NULL,
                "conversation_id" character varying(128),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f8f2ddc9448102dcecde0c5fcf2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_98672b9b89aa1d68d06b81503b" ON "user_insights" ("conversation_id", "insight_type")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_467c89671e5f1046177aa23929" ON "user_insights" ("user_id", "insight_type", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "call_attempts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "task_type" character varying(16) NOT NULL,
                "task_id" uuid NOT NULL,
                "attempt_no" integer NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'requested',
                "conversation_id" character varying(128),
                "call_sid" character varying(64),
                "error" text,
                "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5e2d1f2a06226fdd07c62da8d85" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_feac61bc6723c3b7ef187638fd" ON "call_attempts" ("conversation_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_e6a522d7daa8538c53dd12669e" ON "call_attempts" ("task_type", "task_id", "attempt_no")
        `);
        await queryRunner.query(`
            CREATE TABLE "callback_tasks" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid,
                "phone_number" character varying(20) NOT NULL,
                "reason" text NOT NULL DEFAULT '',
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "max_attempts" integer NOT NULL DEFAULT '3',
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "conversation_id" character varying(128),
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7f9a2af9fa91c50682eca73e51a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_dc49297fdf4b4207b0ccb12141" ON "callback_tasks" ("conversation_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_279657928eec61bd6a42275c0d" ON "callback_tasks" ("user_id", "due_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_75cf83d1a346122c58a44f5e56" ON "callback_tasks" ("status", "next_attempt_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "scheduled_check_ins" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "scheduled_for" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recurrence" text,
                "channel" character varying(8) NOT NULL DEFAULT 'call',
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "max_attempts" integer NOT NULL DEFAULT '3',
                "conversation_id" character varying(128),
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_efbadf953454a8663e9454df2af" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_cdd2e87865a8b60b27325fa136" ON "scheduled_check_ins" ("conversation_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7f4422f1ceb42422c9665967db" ON "scheduled_check_ins" ("user_id", "scheduled_for")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_294f343ad37a4fed58cba0712b" ON "scheduled_check_ins" ("status", "next_attempt_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "settings" (
                "key" character varying(100) NOT NULL,
                "value" jsonb NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c8639b7626fa94ba8265628f214" PRIMARY KEY ("key")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "webhook_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "event_type" character varying(64) NOT NULL,
                "dedupe_key" character varying(200) NOT NULL,
                "payload" jsonb NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "error" text,
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_4cba37e6a0acb5e1fc49c34ebfd" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_c64daa91cce26db387bc965e00" ON "webhook_events" ("dedupe_key")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_8cb477890137f5551422e00a60" ON "webhook_events" ("received_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_7cb3b1037354de4ab6b64ded82" ON "webhook_events" ("status", "next_attempt_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions"
            ADD CONSTRAINT "FK_9a3cb65b82e40d383930152410d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions"
            ADD CONSTRAINT "FK_3e5f4818ccb97aae67d2bdfdc5c" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_messages"
            ADD CONSTRAINT "FK_5f3140e333b75ed2ee4c8d2cbe2" FOREIGN KEY ("session_id") REFERENCES "conversation_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "conversation_messages" DROP CONSTRAINT "FK_5f3140e333b75ed2ee4c8d2cbe2"
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions" DROP CONSTRAINT "FK_3e5f4818ccb97aae67d2bdfdc5c"
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions" DROP CONSTRAINT "FK_9a3cb65b82e40d383930152410d"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7cb3b1037354de4ab6b64ded82"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8cb477890137f5551422e00a60"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c64daa91cce26db387bc965e00"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_events"
        `);
        await queryRunner.query(`
            DROP TABLE "settings"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_294f343ad37a4fed58cba0712b"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7f4422f1ceb42422c9665967db"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_cdd2e87865a8b60b27325fa136"
        `);
        await queryRunner.query(`
            DROP TABLE "scheduled_check_ins"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_75cf83d1a346122c58a44f5e56"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_279657928eec61bd6a42275c0d"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_dc49297fdf4b4207b0ccb12141"
        `);
        await queryRunner.query(`
            DROP TABLE "callback_tasks"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_e6a522d7daa8538c53dd12669e"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_feac61bc6723c3b7ef187638fd"
        `);
        await queryRunner.query(`
            DROP TABLE "call_attempts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_467c89671e5f1046177aa23929"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_98672b9b89aa1d68d06b81503b"
        `);
        await queryRunner.query(`
            DROP TABLE "user_insights"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_251b3c80e18f768e809a8038d6"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7a9fc6a977060472caa3a72504"
        `);
        await queryRunner.query(`
            DROP TABLE "activity_events"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_ebc16067da1a4af2244f94169e"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_879dbf6fd879da3dd3b0bffeac"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_e0c7617f8a340cbef5dbd835b9"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_a301203f45d0e995057504215f"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_a627bb7193bbcfa4fa4433ec38"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c27f6a0b85703ac78b7db06c9c"
        `);
        await queryRunner.query(`
            DROP TABLE "conversation_summaries"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_0222c14fa22b567a92f5724a3d"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8103ae984e7b03a784b0667035"
        `);
        await queryRunner.query(`
            DROP TABLE "conversation_messages"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_7861a27c1f4a1e169ceefab97b"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_663a47e331b77753416fe8cfd7"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_05d15d900ad2cb76a1573225b3"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_963d436995c9b847ed632b7bc1"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_3e5f4818ccb97aae67d2bdfdc5"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_9a3cb65b82e40d383930152410"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c152984ce81cc02ee2e6bec4c7"
        `);
        await queryRunner.query(`
            DROP TABLE "conversation_sessions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_17d1817f241f10a3dbafb169fd"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_11fc776e0ca3573dc195670f63"
        `);
        await queryRunner.query(`
            DROP TABLE "users"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_4a252a005ce573079b47a4f38e"
        `);
        await queryRunner.query(`
            DROP TABLE "rooms"
        `);
    }

}
