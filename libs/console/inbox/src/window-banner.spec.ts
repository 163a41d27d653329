import { TestBed } from '@angular/core/testing';
import { WindowBanner } from './window-banner';
import { formatDuration, windowState } from './window';

const HOUR = 3_600_000;

function render(expiresAt: string | null, canSend = true) {
  const fixture = TestBed.createComponent(WindowBanner);
  fixture.componentRef.setInput('expiresAt', expiresAt);
  fixture.componentRef.setInput('canSend', canSend);
  fixture.detectChanges();
  return fixture;
}

describe('the 24-hour window', () => {
  it('is open until it expires, closing soon in its last hour, then closed for as long as it has been', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(windowState('2026-11-24T11:00:00Z', now)).toEqual({
      open: true,
      remainingMs: 23 * HOUR,
      closingSoon: false,
    });
    expect(windowState('2026-11-23T12:30:00Z', now)).toEqual({ open: true, remainingMs: HOUR / 2, closingSoon: true });
    expect(windowState('2026-11-23T11:00:00Z', now)).toEqual({ open: false, closedForMs: HOUR });
    expect(windowState(null, now)).toEqual({ open: false, closedForMs: null });
    expect(formatDuration(25 * HOUR + 60_000)).toBe('1 d 1 h');
    expect(formatDuration(5 * HOUR + 12 * 60_000)).toBe('5 h 12 min');
  });

  it('shows nothing while the window is comfortably open', () => {
    const fixture = render(new Date(Date.now() + 10 * HOUR).toISOString());
    expect((fixture.nativeElement as HTMLElement).querySelector('.banner')).toBeNull();
  });

  it('warns in the last hour', () => {
    const fixture = render(new Date(Date.now() + 20 * 60_000).toISOString());
    expect((fixture.nativeElement as HTMLElement).textContent).toMatch(/closes in (19|20) min/);
  });

  it('says the window closed and offers the template picker once it has', () => {
    const fixture = render(new Date(Date.now() - HOUR).toISOString());
    const element = fixture.nativeElement as HTMLElement;
    let picked = 0;
    fixture.componentInstance.pickTemplate.subscribe(() => (picked += 1));

    expect(element.textContent).toContain('The 24-hour window closed 1 h ago');
    element.querySelector('button')?.click();
    expect(picked).toBe(1);
  });

  it('offers no template button to someone who cannot send', () => {
    const fixture = render(new Date(Date.now() - HOUR).toISOString(), false);
    const element = fixture.nativeElement as HTMLElement;
    expect(element.textContent).toContain('closed');
    expect(element.querySelector('button')).toBeNull();
  });
});
