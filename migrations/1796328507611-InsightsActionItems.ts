import { MigrationInterface, QueryRunner } from "typeorm";

export class InsightsActionItems1796328507611 implements MigrationInterface {
    name = 'InsightsActionItems1796328507611'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "action_items" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "text" character varying(1000) NOT NULL,
                "normalized_text" character varying(1000) NOT NULL,
                "status" character varying(8) NOT NULL DEFAULT 'open',
                "conversation_id" character varying(128),
                "session_id" uuid,
                "done_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5a84b168b001636b379312104ab" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_c22daa359128f5dfdd7b567a9e" ON "action_items" ("user_id", "status", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_d2a0b7e62b11771bad90c1c3fd" ON "action_items" ("user_id", "normalized_text")
        `);
        await queryRunner.query(`
            CREATE TABLE "user_profile_snapshots" (
                "user_id" uuid NOT NULL,
                "variables" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cee504917059cccc52879d4fa0c" PRIMARY KEY ("user_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "user_insights"
            ADD "source" character varying(16) NOT NULL DEFAULT 'data_collection'
        `);
        await queryRunner.query(`
            ALTER TABLE "user_insights"
            ADD "session_id" uuid
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_42f7466973852e093b9a460507" ON "user_insights" ("session_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_394551f4e0f6927ed67bb88108" ON "user_insights" ("user_id", "created_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_394551f4e0f6927ed67bb88108"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_42f7466973852e093b9a460507"
        `);
        await queryRunner.query(`
            ALTER TABLE "user_insights" DROP COLUMN "session_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "user_insights" DROP COLUMN "source"
        `);
        await queryRunner.query(`
            DROP TABLE "user_profile_snapshots"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_d2a0b7e62b11771bad90c1c3fd"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c22daa359128f5dfdd7b567a9e"
        `);
        await queryRunner.query(`
            DROP TABLE "action_items"
        `);
    }

}
