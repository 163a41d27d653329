import type { TemplateDto } from '@parley/console/api-client';
import { templateDefinitionProblems } from '@parley/whatsapp/cloud-api/shared';
import { addButton, definitionOf, emptyState, removeButton, sectionOf, stateOf } from './template-draft';
import { whatsappSegments } from './markup';

const stored = {
  wabaAccountId: 'acc-1',
  name: 'spring_sale',
  language: 'en_US',
  category: 'MARKETING',
  parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
    {
      type: 'BODY',
      text: 'Hi {{first_name}}, spring sale is on!',
      example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
    },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Interested' },
        { type: 'URL', text: 'Shop', url: 'https://shop.example/{{1}}', example: ['https://shop.example/spring'] },
        { type: 'COPY_CODE', example: 'SPRING10' },
        { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550100' },
      ],
    },
  ],
} as unknown as TemplateDto;

describe('the editor’s template model', () => {
  it('reads a stored template and writes back the same definition', () => {
    const state = stateOf(stored);
    expect(state.examples).toEqual({
      'header.1': '4::aW1hZ2U=',
      'body.first_name': 'Ana',
      'button.1': 'spring',
      'button.2': 'SPRING10',
    });
    const { draft, layout } = definitionOf(state);
    expect(draft.components).toEqual(stored.components);
    expect(layout).toEqual({ header: 0, body: 1, footer: 2, buttons: 3 });
    expect(templateDefinitionProblems(draft)).toEqual([]);
  });

  it('puts each problem under its part of the form', () => {
    const layout = { header: 0, body: 1, footer: null, buttons: 2 };
    expect(sectionOf('name', layout)).toBe('name');
    expect(sectionOf('parameter_format', layout)).toBe('parameterFormat');
    expect(sectionOf('components[1].text', layout)).toBe('body');
    expect(sectionOf('components[1].example.body_text', layout)).toBe('examples');
    expect(sectionOf('components[0].example.header_handle', layout)).toBe('header');
    expect(sectionOf('components[2].buttons', layout)).toBe('buttons');
    expect(sectionOf('components[2].buttons[1].example', layout)).toBe('button.1');
  });

  it('keeps quick replies together and button samples with their button', () => {
    let state = stateOf(stored);
    state = addButton(state, 'QUICK_REPLY');
    expect(state.buttons.map((b) => b.type)).toEqual([
      'QUICK_REPLY',
      'QUICK_REPLY',
      'URL',
      'COPY_CODE',
      'PHONE_NUMBER',
    ]);
    expect(state.examples['button.2']).toBe('spring');
    state = removeButton(state, 0);
    expect(state.examples).toMatchObject({ 'button.1': 'spring', 'button.2': 'SPRING10' });
    expect(templateDefinitionProblems(definitionOf(state).draft).map((p) => p.field)).toEqual([
      'components[3].buttons[0].text',
    ]);
  });

  it('starts empty and leaves out the parts not used', () => {
    expect(definitionOf({ ...emptyState('acc-1'), name: 'x', body: 'Hello' }).draft).toEqual({
      name: 'x',
      language: 'en_US',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Hello' }],
    });
  });

  it("reads WhatsApp's formatting as styled runs", () => {
    expect(whatsappSegments('Hi *Ana*, _new_ ~old~ ```code``` end')).toEqual([
      { text: 'Hi ', style: 'plain' },
      { text: 'Ana', style: 'bold' },
      { text: ', ', style: 'plain' },
      { text: 'new', style: 'italic' },
      { text: ' ', style: 'plain' },
      { text: 'old', style: 'strike' },
      { text: ' ', style: 'plain' },
      { text: 'code', style: 'mono' },
      { text: ' end', style: 'plain' },
    ]);
  });
});
