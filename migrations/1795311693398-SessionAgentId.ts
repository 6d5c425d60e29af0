import { MigrationInterface, QueryRunner } from "typeorm";

export class SessionAgentId1795311693398 implements MigrationInterface {
    name = 'SessionAgentId1795311693398'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions"
            ADD "agent_id" character varying(128)
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions"
            ALTER COLUMN "metadata"
            SET DEFAULT '{}'::jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "key_points"
            SET DEFAULT '[]'::jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "action_items"
            SET DEFAULT '[]'::jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "data_collection"
            SET DEFAULT '{}'::jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "evaluation"
            SET DEFAULT '{}'::jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "activity_events"
            ALTER COLUMN "data"
            SET DEFAULT '{}'::jsonb
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "activity_events"
            ALTER COLUMN "data"
            SET DEFAULT '{}'
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "evaluation"
            SET DEFAULT '{}'
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "data_collection"
            SET DEFAULT '{}'
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "action_items"
            SET DEFAULT '[]'
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_summaries"
            ALTER COLUMN "key_points"
            SET DEFAULT '[]'
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions"
            ALTER COLUMN "metadata"
            SET DEFAULT '{}'
        `);
        await queryRunner.query(`
            ALTER TABLE "conversation_sessions" DROP COLUMN "agent_id"
        `);
    }

}
