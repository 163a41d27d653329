import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message stamped with its transaction's time (the default) is stamped a millisecond after its
 * conversation's last message if that one is as late: messages written in one transaction (customer
 * messages applied in one batch, an automatic reply after the message it answers) keep the order
 * they were written in. A time given explicitly (an import of history) is kept as it is.
 */
export class MessagesInConversationOrder1795600000003 implements MigrationInterface {
  name = 'MessagesInConversationOrder1795600000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION messages_in_conversation_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.created_at = now()::timestamptz(3) THEN
          NEW.created_at := GREATEST(NEW.created_at,
            (SELECT max(m.created_at) + interval '1 millisecond' FROM messages m WHERE m.conversation_id = NEW.conversation_id));
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER messages_in_conversation_order BEFORE INSERT ON messages
       FOR EACH ROW EXECUTE FUNCTION messages_in_conversation_order()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER messages_in_conversation_order ON messages`);
    await queryRunner.query(`DROP FUNCTION messages_in_conversation_order()`);
  }
}
