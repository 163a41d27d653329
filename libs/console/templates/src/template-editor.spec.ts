import { TestBed } from '@angular/core/testing';
import type { CreateTemplateDto, TemplateDto, WabaAccountDto } from '@parley/console/api-client';
import { TemplateEditor } from './template-editor';

const account = { id: 'acc-1', name: 'Acme', wabaId: '100200300' } as WabaAccountDto;

const orderShipped: TemplateDto = {
  id: 'tpl-1',
  wabaAccountId: 'acc-1',
  metaTemplateId: null,
  name: 'order_shipped',
  language: 'en_US',
  category: 'UTILITY',
  status: 'DRAFT',
  parameterFormat: 'POSITIONAL',
  rejectedReason: null,
  qualityScore: null,
  createdAt: '2026-11-23T12:00:00Z',
  updatedAt: '2026-11-23T12:00:00Z',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1042'] } },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} shipped.', example: { body_text: [['Maria', '#1042']] } },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}', example: ['https://shop.example/t/42'] },
      ],
    },
  ],
};

/** The editor on a template (or a new one), with helpers that act and then let ngModel settle. */
async function render(template: TemplateDto | null = null) {
  const fixture = TestBed.createComponent(TemplateEditor);
  fixture.componentRef.setInput('template', template);
  fixture.componentRef.setInput('accounts', [account]);
  const settle = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  await settle();
  const element = fixture.nativeElement as HTMLElement;
  const type = async (selector: string, value: string) => {
    const input = element.querySelector(selector) as HTMLInputElement | HTMLTextAreaElement | null;
    if (!input) throw new Error(`no ${selector}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await settle();
  };
  const sectionOf = (selector: string) => element.querySelector(selector)?.closest('fieldset')?.textContent ?? '';
  const preview = () => element.querySelector('app-phone-preview')?.textContent?.replace(/\s+/g, ' ') ?? '';
  return { fixture, element, type, sectionOf, preview, settle };
}

describe('the template editor', () => {
  it('shows the rule a template breaks under the part at fault, once the admin starts typing', async () => {
    const { element, type, sectionOf } = await render();
    expect(element.querySelectorAll('.problem')).toHaveLength(0);

    await type('input[name="name"]', 'Order Update');
    expect(sectionOf('input[name="name"]')).toContain(
      'name may hold only lowercase letters, digits and underscores, such as order_update',
    );

    await type('textarea[name="body"]', `Hello there, ${'a'.repeat(1090)}`);
    expect(sectionOf('textarea[name="body"]')).toContain(
      'components[0] (BODY): text is 1,103 characters; Meta allows 1,024',
    );
    await type('textarea[name="body"]', '{{1}} is ready.');
    expect(sectionOf('textarea[name="body"]')).toContain("text can't start or end with a parameter");
  });

  it('shows the API’s field errors under their part too', async () => {
    const { fixture, sectionOf, settle } = await render(orderShipped);
    fixture.componentRef.setInput('serverProblems', [
      { field: 'name', message: 'This WhatsApp account already has a template named order_shipped in en_US' },
      { field: 'components[2].buttons[0].url', message: 'components[2] (BUTTONS) button 1 (URL): url is refused' },
    ]);
    await settle();
    expect(sectionOf('input[name="name"]')).toContain('already has a template named order_shipped');
    expect(sectionOf('input[name="button-url-0"]')).toContain('url is refused');
  });

  it('previews the template with its samples in place, and follows the samples as they change', async () => {
    const { element, type, preview } = await render(orderShipped);
    expect(preview()).toContain('Order #1042');
    expect(preview()).toContain('Hi Maria, your order #1042 shipped.');
    expect(preview()).toContain('Track');
    expect((element.querySelector('[data-key="body.1"]') as HTMLInputElement).value).toBe('Maria');

    await type('[data-key="body.1"]', 'Ana');
    expect(preview()).toContain('Hi Ana, your order #1042 shipped.');
    await type('textarea[name="body"]', 'Hi {{1}}, your order {{2}} shipped on {{3}}.');
    expect(preview()).toContain('shipped on {{3}}.');
    expect(element.querySelector('[data-key="body.3"]')).not.toBeNull();
  });

  it('saves only what Meta would accept', async () => {
    const { fixture, element, type, settle } = await render();
    const saved: CreateTemplateDto[] = [];
    fixture.componentInstance.save.subscribe((body) => saved.push(body));
    const save = async () => {
      (element.querySelector('button[type="submit"]') as HTMLButtonElement).click();
      await settle();
    };

    await save();
    expect(saved).toEqual([]);
    expect(element.textContent).toMatch(/\d+ problems? to fix/);

    await type('input[name="name"]', 'welcome');
    await type('textarea[name="body"]', 'Welcome {{1}}, glad to have you.');
    await type('[data-key="body.1"]', 'Maria');
    await save();
    expect(saved).toEqual([
      {
        wabaAccountId: 'acc-1',
        name: 'welcome',
        language: 'en_US',
        category: 'UTILITY',
        parameterFormat: 'POSITIONAL',
        components: [{ type: 'BODY', text: 'Welcome {{1}}, glad to have you.', example: { body_text: [['Maria']] } }],
      },
    ]);
  });

  it('keeps what Meta fixes once approved, and offers no edits under review', async () => {
    const approved = await render({ ...orderShipped, status: 'APPROVED', metaTemplateId: '123' });
    expect((approved.element.querySelector('input[name="name"]') as HTMLInputElement).disabled).toBe(true);
    expect((approved.element.querySelector('textarea[name="body"]') as HTMLTextAreaElement).disabled).toBe(false);
    expect(approved.element.textContent).toContain('Send changes to Meta');

    const pending = await render({ ...orderShipped, status: 'PENDING', metaTemplateId: '123' });
    expect((pending.element.querySelector('textarea[name="body"]') as HTMLTextAreaElement).disabled).toBe(true);
    expect(pending.element.textContent).toContain('it is under review now');
    expect(pending.element.querySelector('button[type="submit"]')).toBeNull();
  });
});
