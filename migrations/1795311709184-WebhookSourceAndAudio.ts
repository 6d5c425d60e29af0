import type { MigrationInterface, QueryRunner } from "typeorm";

/** Audio of finished calls (post_call_audio) and the source of each stored delivery. */

export class WebhookSourceAndAudio1795311709184 implements MigrationInterface {
    name = 'WebhookSourceAndAudio1795311709184'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "conversation_audio" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "conversation_id" character varying(128) NOT NULL,
                "agent_id" character varying(128),
                "content_type" character varying(64) NOT NULL DEFAULT 'audio/mpeg',
                "size_bytes" integer NOT NULL,
                "data" bytea NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7b0e9020b74f47719917ae2ffbb" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_486b868ee0b3fe28e4ec765831" ON "conversation_audio" ("conversation_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "webhook_events"
            ADD "source" character varying(16) NOT NULL DEFAULT 'webhook'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "webhook_events" DROP COLUMN "source"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_486b868ee0b3fe28e4ec765831"
        `);
        await queryRunner.query(`
            DROP TABLE "conversation_audio"
        `);
    }

}
