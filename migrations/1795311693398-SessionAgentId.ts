import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The agent each session talks to (fresh signed URLs for it, matching calls to it). */
export class SessionAgentId1795311693398 implements MigrationInterface {
  name = 'SessionAgentId1795311693398';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conversation_sessions" ADD "agent_id" character varying(128)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conversation_sessions" DROP COLUMN "agent_id"`);
  }
}
