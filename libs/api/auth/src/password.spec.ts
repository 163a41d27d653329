import { hashPassword, passwordProblem, verifyPassword } from './password';

describe('passwordProblem', () => {
  const context = { email: 'marta.silva@example.com', name: 'Marta Silva' };

  it.each([
    ['short1!', 'at least 10 characters'],
    ['abcdefghijkl', 'mix letters with digits or symbols'],
    ['1234567890123', 'mix letters with digits or symbols'],
    ['aaaa1111aaaa', 'too few different characters'],
    ['Password123', 'too common'],
    ['marta.silva-2024', 'must not contain your name or email'],
    ['SilvaRocks#99', 'must not contain your name or email'],
    ['x'.repeat(120) + 'Ab1!xyz99', 'at most 128 characters'],
  ])('rejects %j (%s)', (password, reason) => {
    expect(passwordProblem(password, context)).toEqual({ field: 'password', message: expect.stringContaining(reason) });
  });

  it.each(['correct horse 7 battery', 'Tr0ub4dor&3xyz', 'olá-mundo-2026'])('accepts %j', (password) => {
    expect(passwordProblem(password, context)).toBeNull();
  });
});

describe('hashPassword / verifyPassword', () => {
  it('verifies the right password against an argon2id hash and refuses others', async () => {
    const hash = await hashPassword('correct horse 7 battery');
    expect(hash).toMatch(/^\$argon2id\$/);
    await expect(verifyPassword(hash, 'correct horse 7 battery')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'correct horse 7 batterY')).resolves.toBe(false);
  });

  it('refuses when there is no hash (unknown user) after doing the same work', async () => {
    await expect(verifyPassword(undefined, 'not-a-real-password-0')).resolves.toBe(false);
  });
});
