import { judgeToken } from './token-health';

const now = new Date('2026-11-24T12:00:00Z');
const seconds = (iso: string) => new Date(iso).getTime() / 1_000;
const scopes = ['whatsapp_business_management', 'whatsapp_business_messaging'];

describe('judgeToken', () => {
  it('finds a permanent system-user token with both WhatsApp permissions valid', () => {
    expect(judgeToken({ is_valid: true, expires_at: 0, data_access_expires_at: 0, scopes }, now, 7)).toEqual({
      status: 'valid',
      expiresAt: null,
      problem: null,
    });
  });

  it('flags a token ending within the warning days, by the earlier of its two expiries', () => {
    const info = {
      is_valid: true,
      expires_at: seconds('2027-06-01T00:00:00Z'),
      data_access_expires_at: seconds('2026-11-30T12:00:00Z'),
      scopes,
    };
    expect(judgeToken(info, now, 7)).toEqual({
      status: 'expiring',
      expiresAt: new Date('2026-11-30T12:00:00Z'),
      problem: 'The access token expires on 2026-11-30T12:00:00.000Z',
    });
    expect(judgeToken(info, now, 5).status).toBe('valid');
  });

  it("is invalid when Meta says so, in Meta's words", () => {
    const info = { is_valid: false, error: { code: 190, subcode: 463, message: 'Session has expired.' } };
    expect(judgeToken(info, now, 7)).toMatchObject({ status: 'invalid', problem: 'Session has expired.' });
    expect(judgeToken({ is_valid: false }, now, 7).problem).toBe('Meta says the access token is not valid');
  });

  it('is invalid when a WhatsApp permission is missing', () => {
    expect(judgeToken({ is_valid: true, scopes: ['whatsapp_business_management'] }, now, 7)).toMatchObject({
      status: 'invalid',
      problem: 'The access token lacks the whatsapp_business_messaging permission',
    });
  });
});
