import { MigrationInterface, QueryRunner } from "typeorm";

export class SchedulingDispatch1796328517200 implements MigrationInterface {
    name = 'SchedulingDispatch1796328517200'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "call_attempts"
            ADD "user_id" uuid
        `);
        await queryRunner.query(`
            ALTER TABLE "call_attempts"
            ADD "agent_id" character varying(128)
        `);
        await queryRunner.query(`
            ALTER TABLE "call_attempts"
            ADD "to_number" character varying(20)
        `);
        await queryRunner.query(`
            ALTER TABLE "call_attempts"
            ADD "finished_at" TIMESTAMP WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "callback_tasks"
            ADD "call_sid" character varying(64)
        `);
        await queryRunner.query(`
            ALTER TABLE "callback_tasks"
            ADD "timezone" character varying(64)
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins"
            ADD "call_sid" character varying(64)
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins"
            ADD "timezone" character varying(64)
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins"
            ADD "series_start" TIMESTAMP WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins"
            ADD "previous_check_in_id" uuid
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_305e84a1719f2157bbf264856f" ON "call_attempts" ("requested_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_a199dada6ac2462d448a2fd429" ON "scheduled_check_ins" ("previous_check_in_id")
            WHERE "previous_check_in_id" IS NOT NULL
        `);
        // Hand-written: the crash sweep looks only at attempts still dialing.
        await queryRunner.query(`
            CREATE INDEX "IDX_call_attempts_dialing" ON "call_attempts" ("requested_at") WHERE "status" = 'dialing'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_call_attempts_dialing"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_a199dada6ac2462d448a2fd429"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_305e84a1719f2157bbf264856f"
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins" DROP COLUMN "previous_check_in_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins" DROP COLUMN "series_start"
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins" DROP COLUMN "timezone"
        `);
        await queryRunner.query(`
            ALTER TABLE "scheduled_check_ins" DROP COLUMN "call_sid"
        `);
        await queryRunner.query(`
            ALTER TABLE "callback_tasks" DROP COLUMN "timezone"
        `);
        await queryRunner.query(`
            ALTER TABLE "callback_tasks" DROP COLUMN "call_sid"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_attempts" DROP COLUMN "finished_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_attempts" DROP COLUMN "to_number"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_attempts" DROP COLUMN "agent_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "call_attempts" DROP COLUMN "user_id"
        `);
    }

}
