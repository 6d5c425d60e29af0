import { MigrationInterface, QueryRunner } from "typeorm";

// Generated; the generator's no-op jsonb default rewrites ('{}' vs '{}'::jsonb, which it emits on every run) removed.
export class MessagesOneSessionIndex1796651716760 implements MigrationInterface {
    name = 'MessagesOneSessionIndex1796651716760'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_8103ae984e7b03a784b0667035"
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "IDX_8103ae984e7b03a784b0667035" ON "conversation_messages" ("session_id", "time_in_call_secs")
        `);
    }

}
