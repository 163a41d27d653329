/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { readState, startWorker, stopPid } from '@parley/testing/platform';
import { approvedTemplate, digits, eventually, expectStatus, setUpWorld, World } from '../support/client';

/** Recipients, and the number's throughput at Meta (the sandbox answers 130429 beyond it). */
const RECIPIENTS = 2_000;
const LIMIT_MPS = 200;

describe('a campaign through a killed worker', () => {
  let world: World;
  let templateId: string;
  let numberId: string;
  const prefix = `4477${digits(3)}`;
  const phones = Array.from({ length: RECIPIENTS }, (_, i) => `+${prefix}${String(i).padStart(5, '0')}`);

  /** Template messages the sandbox (Meta) accepted from our number. */
  const atMeta = async (): Promise<any[]> =>
    expectStatus(
      await world.sandbox.get(`/_sandbox/messages?phoneNumberId=${world.phoneNumberId}&direction=outbound`),
      200,
    ).data.filter((m: any) => m.type === 'template');

  beforeAll(async () => {
    world = await setUpWorld(readState());
    // Customers read nothing: two status webhooks a message (sent, delivered) instead of three.
    expectStatus(await world.sandbox.request('PUT', '/_sandbox/scenario', { body: { autoRead: false } }), 200);
    const numbers = expectStatus(
      await world.api.get(`${world.org}/waba-accounts/${world.accountId}/phone-numbers`),
      200,
    );
    numberId = numbers.data[0].id;
    expectStatus(
      await world.sandbox.patch(`/_sandbox/phone-numbers/${world.phoneNumberId}`, { throughputMps: LIMIT_MPS }),
      200,
    );
    expectStatus(
      await world.api.patch(`${world.org}/waba-accounts/${world.accountId}/phone-numbers/${numberId}`, {
        throughputMps: LIMIT_MPS,
      }),
      200,
    );

    templateId = await approvedTemplate(world, 'winter_sale', 'Hi {{1}}, winter sale: {{2}} off.', ['Ana', '25%']);

    // The audience arrives as a marketer's CSV: opted in, tagged, with a discount column.
    const csv = ['phone,name,discount', ...phones.map((phone, i) => `${phone},Customer ${i},${5 + (i % 5) * 5}%`)].join(
      '\n',
    );
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'winter.csv');
    form.append('tags', 'winter');
    form.append('optInStatus', 'opted_in');
    const imported = await fetch(`${world.api.baseUrl}${world.org}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.api.token}` },
      body: form,
    });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ created: RECIPIENTS, errors: [] });
  }, 120_000);

  // The next suites share the platform: leave it with every webhook applied and the sandbox as it was.
  afterAll(async () => {
    await eventually(
      async () =>
        expectStatus(await world.api.get(`${world.org}/webhook-events?status=pending&limit=1`), 200).data.length === 0,
      'the campaign’s status webhooks applied',
      120_000,
    );
    await world.sandbox.request('DELETE', '/_sandbox/scenario');
  }, 150_000);

  it(`sends ${RECIPIENTS.toLocaleString('en')} recipients at ${LIMIT_MPS}/s exactly once, through two launches at once and a killed worker`, async () => {
    const campaign = expectStatus(
      await world.api.post(`${world.org}/campaigns`, {
        name: 'Winter sale',
        phoneNumberId: numberId,
        templateId,
        parameters: {
          'body.1': { source: 'contact', field: 'first_name', fallback: 'there' },
          'body.2': { source: 'attribute', key: 'discount' },
        },
        audience: { tags: { any: ['winter'] } },
      }),
      201,
    );
    const estimate = expectStatus(
      await world.api.post(`${world.org}/campaigns/estimate`, { audience: campaign.audience }),
      200,
    );
    expect(estimate).toMatchObject({ matched: RECIPIENTS, eligible: RECIPIENTS });

    // Two launches at once, through the two api processes: one run.
    const launches = await Promise.all([
      world.api.post(`${world.org}/campaigns/${campaign.id}/launch`, {}),
      world.api2.post(`${world.org}/campaigns/${campaign.id}/launch`, {}),
    ]);
    expect(launches.map((r) => r.status).sort()).toEqual([200, 409]);

    // Halfway, the worker dies without warning; a new one carries on.
    await eventually(async () => (await atMeta()).length >= RECIPIENTS / 2, 'half the campaign sent', 60_000);
    const state = readState();
    process.kill(state.pids['worker'] ?? 0, 'SIGKILL');
    await stopPid(state.pids['worker'] ?? 0);
    const atKill = (await atMeta()).length;
    expect(atKill).toBeLessThan(RECIPIENTS);
    startWorker(state);

    const done = await eventually(
      async () => {
        const c = expectStatus(await world.api.get(`${world.org}/campaigns/${campaign.id}`), 200);
        return c.status === 'completed' && c.stats.delivered === RECIPIENTS && c;
      },
      'the campaign completed and delivered',
      180_000,
    );

    // Meta's side: every recipient exactly once, with their own parameters, and never over the limit.
    const sent = await atMeta();
    expect(sent).toHaveLength(RECIPIENTS);
    const waIds = sent.map((m) => m.waId);
    expect(new Set(waIds).size).toBe(RECIPIENTS);
    expect(new Set(waIds)).toEqual(new Set(phones.map((p) => p.slice(1))));
    expect(sent.find((m) => m.waId === phones[7]?.slice(1))?.body).toContain('Hi Customer, winter sale: 15% off.');
    const health = expectStatus(await world.sandbox.get('/_sandbox/health'), 200);
    expect(health.refusedSends['130429'] ?? 0).toBe(0);

    // Our stats are Meta's records.
    const read = sent.filter((m) => m.status === 'read').length;
    const stats = expectStatus(await world.api.get(`${world.org}/campaigns/${campaign.id}/stats`), 200);
    expect(stats).toMatchObject({
      targeted: RECIPIENTS,
      skipped: 0,
      queued: 0,
      sent: RECIPIENTS,
      delivered: RECIPIENTS,
      failed: 0,
      read,
    });
    expect(done.startedAt).toEqual(expect.any(String));
    const times = sent.map((m) => m.timestamp).sort((a, b) => a - b);
    const rate = (from: number, to: number) =>
      Math.round((to - from) / (((times[to] ?? 0) - (times[from] ?? 0)) / 1000));
    console.warn(
      `[campaign e2e] ${RECIPIENTS} at Meta in ${(((times[RECIPIENTS - 1] ?? 0) - (times[0] ?? 0)) / 1000).toFixed(1)} s ` +
        `(limit ${LIMIT_MPS}/s): ${rate(0, atKill - 1)}/s before the kill (${atKill} sent), ` +
        `${rate(atKill, RECIPIENTS - 1)}/s after the restart`,
    );
  }, 300_000);
});
