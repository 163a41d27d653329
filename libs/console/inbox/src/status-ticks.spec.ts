import { TestBed } from '@angular/core/testing';
import type { MessageDto } from '@parley/console/api-client';
import { StatusTicks, tickOf } from './status-ticks';

type Shown = Pick<MessageDto, 'status' | 'error'>;

function render(message: Shown): HTMLElement {
  const fixture = TestBed.createComponent(StatusTicks);
  fixture.componentRef.setInput('message', message);
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

describe('status ticks', () => {
  it('shows one tick when sent, two when delivered, two blue ones when read', () => {
    const sent = render({ status: 'sent', error: null });
    const delivered = render({ status: 'delivered', error: null });
    const read = render({ status: 'read', error: null });

    expect(sent.querySelector('[role=img]')?.getAttribute('aria-label')).toBe('Sent');
    expect(delivered.querySelector('[role=img]')?.getAttribute('aria-label')).toBe('Delivered');
    expect(read.querySelector('[role=img]')?.getAttribute('aria-label')).toBe('Read');
    // One check path for sent, the double check for delivered and read; only read is blue.
    expect(sent.querySelector('path')?.getAttribute('d')).not.toBe(delivered.querySelector('path')?.getAttribute('d'));
    expect(delivered.querySelector('path')?.getAttribute('d')).toBe(read.querySelector('path')?.getAttribute('d'));
    expect(read.querySelector('.tick')?.classList).toContain('read');
    expect(delivered.querySelector('.tick')?.classList).not.toContain('read');
  });

  it("says why a message failed, with Meta's title and code", () => {
    const element = render({ status: 'failed', error: { code: 131047, title: 'Re-engagement message' } });

    expect(element.querySelector('.tick')?.classList).toContain('failed');
    expect(element.textContent).toContain('Not delivered: Re-engagement message (131047)');
  });

  it('shows a clock while queued and nothing on received messages', () => {
    expect(tickOf({ status: 'queued', error: null })?.label).toBe('Sending');
    expect(render({ status: 'received', error: null }).querySelector('.tick')).toBeNull();
  });
});
