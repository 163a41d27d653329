import { batchQuery, EXPORT_PLAN, omittedColumns, TABLES_NOT_EXPORTED } from './export-plan';

/** Column names that hold credentials or parts of them. */
const SECRET_LOOKING = /(hash|secret|sealed|encrypted|password|verify_token|_hint)$/;

describe('export plan', () => {
  it('writes no column whose name says it holds a secret, and says why each is left out', () => {
    for (const spec of EXPORT_PLAN) {
      expect({ table: spec.table, written: spec.columns.filter((c) => SECRET_LOOKING.test(c)) }).toEqual({
        table: spec.table,
        written: [],
      });
    }
    expect(omittedColumns()).toMatchObject({
      'waba_accounts.access_token_encrypted': 'a secret',
      'waba_accounts.app_secret_encrypted': 'a secret',
      'api_keys.key_hash': 'a secret',
      'webhook_subscriptions.secret_sealed': 'a secret',
      'ai_settings.api_key_encrypted': 'a secret',
    });
  });

  it('exports members as who they are and their role, never their credentials', () => {
    const members = EXPORT_PLAN.find((spec) => spec.file === 'members');
    expect([...(members?.columns ?? []), ...(members?.userColumns ?? [])]).toEqual([
      'user_id',
      'role',
      'name',
      'email',
    ]);
  });

  it('names each file once and never a table it leaves out', () => {
    const files = EXPORT_PLAN.map((spec) => spec.file);
    expect(new Set(files).size).toBe(files.length);
    for (const spec of EXPORT_PLAN) expect(TABLES_NOT_EXPORTED[spec.table]).toBeUndefined();
  });

  it('reads a batch of the org in key order, after the last key once there is one', () => {
    const contacts = EXPORT_PLAN.find((spec) => spec.table === 'contacts');
    if (!contacts) throw new Error('no contacts in the plan');
    expect(batchQuery(contacts, false)).toMatch(/WHERE t\."org_id" = \$1 ORDER BY t\."id" LIMIT \$2$/);
    expect(batchQuery(contacts, true)).toMatch(/WHERE t\."org_id" = \$1 AND t\."id" > \$2 ORDER BY t\."id" LIMIT \$3$/);
    expect(() => batchQuery({ file: 'x', table: 'x', columns: ['a; DROP TABLE users'] }, false)).toThrow(
      /Not a plain identifier/,
    );
  });
});
