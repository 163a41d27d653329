import { TestBed } from '@angular/core/testing';
import type { CampaignStatsDto } from '@parley/console/api-client';
import { CampaignFunnel } from './funnel';

const stats: CampaignStatsDto = {
  targeted: 1200,
  skipped: 100,
  queued: 0,
  sent: 1000,
  delivered: 950,
  read: 600,
  replied: 45,
  failed: 100,
  cancelled: 0,
};

async function render(value: CampaignStatsDto) {
  const fixture = TestBed.createComponent(CampaignFunnel);
  fixture.componentRef.setInput('stats', value);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const step = (name: string) => element.querySelector(`[data-testid="funnel-${name}"]`) as HTMLElement | null;
  /** The step's label, count and share, as a reader sees them side by side. */
  const text = (name: string) =>
    [...(step(name)?.querySelectorAll('.label, .count, .share') ?? [])]
      .map((part) => part.textContent?.trim())
      .join(' ');
  return { fixture, element, step, text };
}

describe('the campaign funnel', () => {
  it('shows each step’s count and share of the audience, with a bar as wide as the share', async () => {
    const { text, step } = await render(stats);
    expect(text('targeted')).toBe('Targeted 1,200 100%');
    expect(text('sent')).toBe('Sent 1,000 83%');
    expect(text('delivered')).toBe('Delivered 950 79%');
    expect(text('read')).toBe('Read 600 50%');
    expect(text('replied')).toBe('Replied 45 4%');
    expect((step('read')?.querySelector('.fill') as HTMLElement).style.width).toBe('50%');
    expect(text('failed')).toBe('Failed 100');
    expect(text('skipped')).toBe('Skipped 100');
    // Nothing queued or cancelled: not shown.
    expect(step('queued')).toBeNull();
    expect(step('cancelled')).toBeNull();
  });

  it('follows new numbers as they arrive, and draws nothing for an empty audience', async () => {
    const { fixture, text, step } = await render({ ...stats, targeted: 0, sent: 0, delivered: 0, read: 0, replied: 0 });
    expect(text('sent')).toBe('Sent 0 0%');
    expect((step('sent')?.querySelector('.fill') as HTMLElement).style.width).toBe('0%');

    fixture.componentRef.setInput('stats', { ...stats, targeted: 30, sent: 30, delivered: 12, queued: 0 });
    await fixture.whenStable();
    expect(text('sent')).toBe('Sent 30 100%');
    expect(text('delivered')).toBe('Delivered 12 40%');
  });
});
