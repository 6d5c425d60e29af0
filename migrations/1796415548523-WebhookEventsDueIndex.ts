import { MigrationInterface, QueryRunner } from "typeorm";

// Generated; the generator's no-op jsonb default rewrites ('{}' vs '{}'::jsonb, which it emits on every run) removed.
export class WebhookEventsDueIndex1796415548523 implements MigrationInterface {
    name = 'WebhookEventsDueIndex1796415548523'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "IDX_webhook_events_due" ON "webhook_events" ("next_attempt_at", "received_at")
            WHERE status IN ('pending', 'failed')
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_events_due"
        `);
    }

}
