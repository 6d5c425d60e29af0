import { MigrationInterface, QueryRunner } from "typeorm";

// Generated; the generator's no-op jsonb default rewrites ('{}' vs '{}'::jsonb, which it emits on every run) removed.
export class WebhookEventsCallerHash1796650959113 implements MigrationInterface {
    name = 'WebhookEventsCallerHash1796650959113'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "webhook_events"
            ADD "caller_hash" integer
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "webhook_events" DROP COLUMN "caller_hash"
        `);
    }

}
