import { MigrationInterface, QueryRunner } from "typeorm";

// Generated; the generator's no-op jsonb default rewrites ('{}' vs '{}'::jsonb, which it emits on every run) removed.
export class ProfileSnapshotVersion1796412876352 implements MigrationInterface {
    name = 'ProfileSnapshotVersion1796412876352'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "user_profile_snapshots"
            ADD "version" integer NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "user_profile_snapshots"
            ADD "variables_version" integer NOT NULL DEFAULT '0'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "user_profile_snapshots" DROP COLUMN "variables_version"
        `);
        await queryRunner.query(`
            ALTER TABLE "user_profile_snapshots" DROP COLUMN "version"
        `);
    }

}
