import { createHmac } from 'node:crypto';
import { serializeLikeMeta, signPayload, verifySignature } from './signature';

describe('webhook signatures', () => {
  const secret = 'app-secret-0123';
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  it('signs like Meta: sha256= and the lowercase hex HMAC of the raw bytes', () => {
    expect(signPayload(body, secret)).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  });

  it('accepts the right signature and refuses tampering, other secrets and bad headers', () => {
    const header = signPayload(body, secret);
    expect(verifySignature(body, header, secret)).toBe(true);
    expect(verifySignature(Buffer.from(body.toString().replace('[]', '[{}]')), header, secret)).toBe(false);
    expect(verifySignature(body, header, 'another-secret')).toBe(false);
    for (const bad of [undefined, '', 'sha1=abc', 'sha256=', 'sha256=zz', header.slice(0, -2)]) {
      expect(verifySignature(body, bad, secret)).toBe(false);
    }
  });

  it('escapes non-ASCII as lowercase \\uXXXX, so a re-escaped decoded string verifies too', () => {
    const payload = { text: { body: 'Olá 😮 ÿ' } };
    const wire = serializeLikeMeta(payload);
    expect(wire).toBe('{"text":{"body":"Ol\\u00e1 \\ud83d\\ude2e \\u00ff"}}');
    expect(JSON.parse(wire)).toEqual(payload);
    const header = signPayload(wire, secret);
    expect(verifySignature(Buffer.from(wire), header, secret)).toBe(true);
    expect(verifySignature(serializeLikeMeta(JSON.parse(wire)), header, secret)).toBe(true);
  });
});
