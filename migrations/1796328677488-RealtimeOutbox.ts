import { MigrationInterface, QueryRunner } from "typeorm";

// Generated; the generator's spurious jsonb-default rewrites of other tables (same defaults, other spelling) were removed.
export class RealtimeOutbox1796328677488 implements MigrationInterface {
    name = 'RealtimeOutbox1796328677488'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "realtime_outbox" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3773129a2c536fcdcc45da3670e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_427a0d745a47ec5065d18dc548" ON "realtime_outbox" ("created_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_427a0d745a47ec5065d18dc548"
        `);
        await queryRunner.query(`
            DROP TABLE "realtime_outbox"
        `);
    }

}
