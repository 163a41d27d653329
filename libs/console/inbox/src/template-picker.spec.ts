import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { Api, type TemplateDto } from '@parley/console/api-client';
import { isoToLocal } from './send-later';
import { TemplatePicker, type TemplatePickerData } from './template-picker';

const hello = {
  id: 't-1',
  name: 'hello_world',
  language: 'en_US',
  category: 'UTILITY',
  status: 'APPROVED',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Welcome and congratulations!!' }],
} as unknown as TemplateDto;

async function render() {
  const close = jest.fn();
  const data: TemplatePickerData = { orgId: 'org-1', contactName: 'Maria Souza' };
  TestBed.configureTestingModule({
    providers: [
      { provide: Api, useValue: { invoke: jest.fn().mockResolvedValue({ data: [hello], nextCursor: null }) } },
      { provide: MatDialogRef, useValue: { close } },
      { provide: MAT_DIALOG_DATA, useValue: data },
    ],
  });
  const fixture = TestBed.createComponent(TemplatePicker);
  await fixture.whenStable();
  fixture.detectChanges();
  const element = fixture.nativeElement as HTMLElement;
  (element.querySelector('[role="option"]') as HTMLButtonElement).click();
  fixture.detectChanges();
  await fixture.whenStable();
  const primary = () => [...element.querySelectorAll('mat-dialog-actions button')].at(-1) as HTMLButtonElement;
  return { fixture, element, close, primary };
}

describe('the template picker', () => {
  it('sends now by default', async () => {
    const { close, primary } = await render();
    expect(primary().textContent?.trim()).toBe('Send template');
    primary().click();
    expect(close).toHaveBeenCalledWith({
      template: { name: 'hello_world', language: { code: 'en_US' } },
      scheduledAt: null,
    });
  });

  it('schedules for the chosen time with "Send later", and refuses a time in the past', async () => {
    const { fixture, element, close, primary } = await render();
    (element.querySelector('mat-checkbox input') as HTMLInputElement).click();
    fixture.detectChanges();
    await fixture.whenStable();
    expect(primary().textContent?.trim()).toBe('Schedule');

    const input = element.querySelector('input[type="datetime-local"]') as HTMLInputElement;
    input.value = isoToLocal(new Date(Date.now() - 3_600_000).toISOString());
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    await fixture.whenStable();
    expect(element.textContent).toContain('Choose a time in the future');
    expect(primary().disabled).toBe(true);

    const at = new Date(Date.now() + 2 * 86_400_000);
    input.value = isoToLocal(at.toISOString());
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    await fixture.whenStable();
    primary().click();
    at.setSeconds(0, 0);
    expect(close).toHaveBeenCalledWith({
      template: { name: 'hello_world', language: { code: 'en_US' } },
      scheduledAt: at.toISOString(),
    });
  });
});
