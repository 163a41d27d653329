import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { SecretBox } from '../crypto/secret-box';
import { Mailer, MailMessage, MailProcessor, MailTransport } from './mail';

describe('mail through the queue', () => {
  const config = new AppConfig();
  const box = new SecretBox(config);

  it('seals the message in the job (invitation links are credentials) and the worker delivers it', async () => {
    const added: { name: string; data: { orgId?: string; sealed: string } }[] = [];
    const queue = {
      add: async (name: string, data: { orgId?: string; sealed: string }) => void added.push({ name, data }),
    };
    const message: MailMessage = {
      orgId: 'org-1',
      to: 'bruno@example.com',
      subject: 'Join Acme',
      text: 'Accept: https://console/invitations/SECRET-TOKEN',
    };

    await new Mailer(queue as unknown as Queue, box).send(message);
    expect(added).toHaveLength(1);
    expect(added[0]?.data.orgId).toBe('org-1');
    expect(JSON.stringify(added[0])).not.toMatch(/SECRET-TOKEN|bruno@example.com/);

    const sent: unknown[] = [];
    const transport: MailTransport = { send: async (m) => void sent.push(m) };
    await new MailProcessor(transport, box, config).deliver({ data: added[0]?.data } as Job);
    expect(sent).toEqual([{ ...message, from: config.MAIL_FROM }]);
  });
});
