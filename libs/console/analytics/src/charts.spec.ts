import { TestBed } from '@angular/core/testing';
import type { CampaignSummaryDto, DailyMessagesDto } from '@parley/console/api-client';
import { BarChart } from './bar-chart';
import { CampaignFunnelChart } from './campaign-funnel-chart';
import { MessagesChart } from './messages-chart';

async function render<T>(component: new (...args: never[]) => T, inputs: Record<string, unknown>) {
  const fixture = TestBed.createComponent(component);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

describe('the messages chart', () => {
  const days: DailyMessagesDto[] = [
    { date: '2026-03-01', inbound: 2, outbound: 0 },
    { date: '2026-03-02', inbound: 7, outbound: 3 },
    { date: '2026-03-03', inbound: 0, outbound: 1 },
  ];

  it('draws a line per direction over a round axis, and says what it shows', async () => {
    const element = await render(MessagesChart, { days });
    const [received, sent] = [...element.querySelectorAll('polyline')].map((line) => line.getAttribute('points'));
    // 0..8 over a plot 212 high from y=12: 7 sits at 12 + 212 − 7/8·212.
    expect(received).toBe('48,171 516,38.5 984,224');
    expect(sent).toBe('48,224 516,144.5 984,197.5');
    expect([...element.querySelectorAll('text.tick')].map((t) => t.textContent?.trim())).toEqual([
      '0',
      '2',
      '4',
      '6',
      '8',
      '1 Mar',
      '2 Mar',
      '3 Mar',
    ]);
    expect(element.querySelector('title')?.textContent).toBe(
      'Messages per day from 2026-03-01 to 2026-03-03: 9 received, 4 sent',
    );
    expect(element.querySelectorAll('tbody tr')).toHaveLength(3);
  });
});

describe('the bar chart', () => {
  it('makes the largest bar full length and the others in proportion', async () => {
    const element = await render(BarChart, {
      caption: 'Failures by error code',
      bars: [
        { label: '131026 · Message undeliverable', value: 8 },
        { label: '131047 · Re-engagement message', value: 2 },
      ],
    });
    const widths = [...element.querySelectorAll('rect:not(.track)')].map((bar) => Number(bar.getAttribute('width')));
    expect(widths).toEqual([416, 104]);
    expect(element.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Failures by error code: 131026 · Message undeliverable 8, 131047 · Re-engagement message 2',
    );
  });

  it('says so when there is nothing', async () => {
    const element = await render(BarChart, { caption: 'Intents', bars: [], empty: 'No message failed.' });
    expect(element.textContent?.trim()).toBe('No message failed.');
  });
});

describe('the campaign funnel', () => {
  const campaign: CampaignSummaryDto = {
    id: 'c1',
    name: 'Spring',
    status: 'completed',
    startedAt: '2026-03-01T10:00:00Z',
    targeted: 200,
    sent: 180,
    delivered: 150,
    read: 100,
    replied: 10,
    failed: 20,
  };

  it('draws each step centred, as wide as its share of the audience', async () => {
    const element = await render(CampaignFunnelChart, { campaign });
    const bars = [...element.querySelectorAll('rect:not(.track)')].map((bar) => [
      Number(bar.getAttribute('x')),
      Number(bar.getAttribute('width')),
    ]);
    expect(bars).toEqual([
      [0, 220],
      [11, 198],
      [27.5, 165],
      [55, 110],
      [104.5, 11],
    ]);
    expect([...element.querySelectorAll('text.share')].map((t) => t.textContent?.trim())).toEqual([
      '90%',
      '75%',
      '50%',
      '5%',
    ]);
    expect(element.querySelector('.failed')?.textContent?.trim()).toBe('Failed 20');
  });
});
