import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The org's campaigns with a reply flow: every customer message asks for them (usually none), so
 * the question is one probe instead of a walk through the conversation's outbound messages.
 */
export class CampaignReplyFlowIndex1795600000002 implements MigrationInterface {
  name = 'CampaignReplyFlowIndex1795600000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "campaigns_org_reply_flow" ON "campaigns" ("org_id") WHERE reply_flow_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."campaigns_org_reply_flow"`);
  }
}
