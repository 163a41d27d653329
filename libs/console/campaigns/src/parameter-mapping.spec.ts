import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { templateParameterKeys } from '@parley/whatsapp/cloud-api/shared';
import { ParameterMapping } from './parameter-mapping';
import { type MappingRow, mappingRows, parametersOf, previewValues } from './parameters';

/** The sandbox's order_update template. */
const orderUpdate = {
  parameter_format: 'POSITIONAL',
  components: [
    {
      type: 'BODY',
      text: 'Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.',
      example: { body_text: [['Maria', '#1042', 'tomorrow']] },
    },
  ],
};

@Component({
  imports: [ParameterMapping],
  template: `<app-parameter-mapping [(rows)]="rows" [errors]="errors()" />`,
})
class Host {
  readonly rows = signal<MappingRow[]>(mappingRows(templateParameterKeys(orderUpdate)));
  readonly errors = signal<Record<string, string>>({});
}

async function render() {
  const fixture = TestBed.createComponent(Host);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const settle = () => fixture.whenStable();
  const row = (key: string) => element.querySelector(`fieldset[data-key="${key}"]`) as HTMLFieldSetElement;
  const select = async (key: string, name: string, value: string) => {
    const control = row(key).querySelector(`select[name="${name}"]`) as HTMLSelectElement;
    control.value = value;
    control.dispatchEvent(new Event('change'));
    await settle();
  };
  const type = async (key: string, name: string, value: string) => {
    const input = row(key).querySelector(`input[name="${name}"]`) as HTMLInputElement | null;
    if (!input) throw new Error(`no ${name} input in ${key}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await settle();
  };
  return { fixture, element, row, select, type, settle };
}

describe('the parameter mapping', () => {
  it('has a row per template parameter, the first starting as the contact’s first name', async () => {
    const { element, row } = await render();
    expect([...element.querySelectorAll('legend')].map((legend) => legend.textContent?.trim())).toEqual([
      'Body {{1}} e.g. Maria',
      'Body {{2}} e.g. #1042',
      'Body {{3}} e.g. tomorrow',
    ]);
    expect((row('body.1').querySelector('select[name="source"]') as HTMLSelectElement).value).toBe('contact');
    expect((row('body.2').querySelector('select[name="source"]') as HTMLSelectElement).value).toBe('text');
  });

  it('produces the campaign’s parameters from what the admin chose', async () => {
    const { fixture, select, type } = await render();
    await type('body.1', 'fallback', ' there ');
    await select('body.2', 'source', 'attribute');
    await type('body.2', 'attribute', 'order_id');
    await type('body.3', 'value', 'tomorrow');

    expect(parametersOf(fixture.componentInstance.rows())).toEqual({
      'body.1': { source: 'contact', field: 'first_name', fallback: 'there' },
      'body.2': { source: 'attribute', key: 'order_id' },
      'body.3': { source: 'text', value: 'tomorrow' },
    });

    await select('body.1', 'field', 'name');
    await type('body.2', 'fallback', 'your order');
    await select('body.3', 'source', 'contact');
    await select('body.3', 'field', 'phone');
    expect(parametersOf(fixture.componentInstance.rows())).toEqual({
      'body.1': { source: 'contact', field: 'name', fallback: 'there' },
      'body.2': { source: 'attribute', key: 'order_id', fallback: 'your order' },
      'body.3': { source: 'contact', field: 'phone' },
    });
  });

  it('shows the API’s message under the parameter it names', async () => {
    const { fixture, row, settle } = await render();
    fixture.componentInstance.errors.set({
      'parameters.body.2': 'parameters.body.2: key must name a contact attribute',
    });
    await settle();
    expect(row('body.2').textContent).toContain('key must name a contact attribute');
    expect(row('body.1').querySelector('[role="alert"]')).toBeNull();
  });

  it('reads a saved mapping back, and previews with a sample contact and attribute names', () => {
    const saved = {
      'body.1': { source: 'contact', field: 'first_name', fallback: 'there' },
      'body.2': { source: 'attribute', key: 'order_id' },
      'body.3': { source: 'text', value: 'on Friday' },
    };
    const rows = mappingRows(templateParameterKeys(orderUpdate), saved);
    expect(parametersOf(rows)).toEqual(saved);
    expect(previewValues(rows)).toEqual({ 'body.1': 'Maria', 'body.2': '[order_id]', 'body.3': 'on Friday' });
  });
});
