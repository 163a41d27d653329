import { AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(new AppConfig());

  it('round-trips a secret bound to where it is stored', () => {
    const sealed = box.encrypt('EAAG-access-token', 'waba_accounts.access_token:1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('EAAG');
    expect(box.decrypt(sealed, 'waba_accounts.access_token:1')).toBe('EAAG-access-token');
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same', 'x')).not.toBe(box.encrypt('same', 'x'));
  });

  it('refuses a ciphertext moved to another row or column', () => {
    const sealed = box.encrypt('secret', 'waba_accounts.app_secret:1');
    expect(() => box.decrypt(sealed, 'waba_accounts.app_secret:2')).toThrow();
    expect(() => box.decrypt(sealed, 'waba_accounts.access_token:1')).toThrow();
  });

  it('refuses a tampered ciphertext and a different key', () => {
    const sealed = box.encrypt('secret', 'x');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'x')).toThrow();
    const otherKey = Object.assign(new AppConfig(), { ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(() => new SecretBox(otherKey).decrypt(sealed, 'x')).toThrow();
  });
});
