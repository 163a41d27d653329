import {
  placeholdersOf,
  previewTemplate,
  renderTemplate,
  templateComponentsFrom,
  TemplateDefinition,
  templateDefinitionProblems,
  TemplateDraft,
  templateParameterKeys,
  templateParameterProblems,
  templatePreviewText,
} from './templates';
import type { TemplateMessage } from './types/send';

const ORDER_UPDATE: TemplateDefinition = {
  parameter_format: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships on {{3}}. Total: {{4}}.' },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Thanks' },
        { type: 'URL', text: 'Track', url: 'https://shop.example/track/{{1}}' },
        { type: 'COPY_CODE', example: 'SAVE10' },
      ],
    },
  ],
};

const text = (value: string) => ({ type: 'text' as const, text: value });

function send(components: TemplateMessage['components']): TemplateMessage {
  return { name: 'order_update', language: { code: 'en_US' }, components };
}

const complete = send([
  { type: 'header', parameters: [text('#1042')] },
  {
    type: 'body',
    parameters: [
      text('Maria'),
      text('#1042'),
      { type: 'date_time', date_time: { fallback_value: 'May 3' } },
      { type: 'currency', currency: { fallback_value: '$12.50', code: 'USD', amount_1000: 12500 } },
    ],
  },
  { type: 'button', sub_type: 'url', index: '1', parameters: [text('1042')] },
  { type: 'button', sub_type: 'copy_code', index: 2, parameters: [{ type: 'coupon_code', coupon_code: 'SAVE10' }] },
]);

describe('templateParameterProblems', () => {
  it('accepts a send that fills every placeholder, button and code', () => {
    expect(templateParameterProblems(ORDER_UPDATE, complete)).toEqual([]);
  });

  it('names the component whose count is wrong', () => {
    const short = send([
      ...(complete.components ?? []).filter((c) => c.type !== 'body'),
      { type: 'body', parameters: [text('Maria')] },
    ]);
    expect(templateParameterProblems(ORDER_UPDATE, short)).toEqual([
      {
        field: 'template.components.body.parameters',
        message: 'template.components.body.parameters: the template expects 4 parameters, got 1',
      },
    ]);
  });

  it('names a missing URL button value and a missing header', () => {
    const problems = templateParameterProblems(
      ORDER_UPDATE,
      send((complete.components ?? []).filter((c) => c.type === 'body')),
    );
    expect(problems.map((p) => p.field)).toEqual([
      'template.components.header.parameters',
      'template.components.button[1].parameters',
      'template.components.button[2].parameters',
    ]);
  });

  it('refuses parameters for a template without placeholders, and wrong parameter types', () => {
    const plain: TemplateDefinition = { components: [{ type: 'BODY', text: 'Your order has shipped.' }] };
    expect(
      templateParameterProblems(plain, send([{ type: 'body', parameters: [text('extra')] }])).map((p) => p.field),
    ).toEqual(['template.components[0]']);
    const wrongType = send([
      ...(complete.components ?? []).filter((c) => c.type !== 'header'),
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.example/a.png' } }] },
    ]);
    expect(templateParameterProblems(ORDER_UPDATE, wrongType)).toEqual([
      {
        field: 'template.components.header.parameters[0]',
        message: 'template.components.header.parameters[0] must be of type text (got image)',
      },
    ]);
    const empty = send([
      ...(complete.components ?? []).filter((c) => c.type !== 'header'),
      { type: 'header', parameters: [text('  ')] },
    ]);
    expect(templateParameterProblems(ORDER_UPDATE, empty).map((p) => p.field)).toEqual([
      'template.components.header.parameters[0].text',
    ]);
  });

  it('wants the media a media header declares', () => {
    const withImage: TemplateDefinition = {
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['h'] } },
        { type: 'BODY', text: 'New arrivals' },
      ],
    };
    expect(templateParameterProblems(withImage, send([])).map((p) => p.field)).toEqual([
      'template.components.header.parameters',
    ]);
    expect(
      templateParameterProblems(
        withImage,
        send([{ type: 'header', parameters: [{ type: 'image', image: { id: '123' } }] }]),
      ),
    ).toEqual([]);
    expect(
      templateParameterProblems(
        withImage,
        send([{ type: 'header', parameters: [{ type: 'video', video: { id: '123' } }] }]),
      ).map((p) => p.message),
    ).toEqual(['template.components.header.parameters[0] must be of type image (got video)']);
  });

  it('matches named parameters by name, in any order', () => {
    const named: TemplateDefinition = {
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Hi {{first_name}}, order {{order_id}} is ready, {{first_name}}!' }],
    };
    const ok = send([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: '#7', parameter_name: 'order_id' },
          { type: 'text', text: 'Ana', parameter_name: 'first_name' },
        ],
      },
    ]);
    expect(templateParameterProblems(named, ok)).toEqual([]);
    const wrong = send([{ type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'name' }] }]);
    expect(templateParameterProblems(named, wrong).map((p) => p.message)).toEqual([
      'template.components.body.parameters: missing first_name, order_id',
      'template.components.body.parameters: unexpected name',
    ]);
  });

  it('counts repeated positional placeholders once', () => {
    expect(placeholdersOf('{{1}} and {{2}} and {{1}}')).toEqual(['1', '2', '1']);
    const repeated: TemplateDefinition = { components: [{ type: 'BODY', text: '{{1}}, yes {{1}}: {{2}}' }] };
    expect(templateParameterProblems(repeated, send([{ type: 'body', parameters: [text('a'), text('b')] }]))).toEqual(
      [],
    );
  });
});

describe('renderTemplate', () => {
  it('shows header, body and footer with the parameters in place', () => {
    expect(renderTemplate(ORDER_UPDATE, complete)).toBe(
      'Order #1042\nHi Maria, your order #1042 ships on May 3. Total: $12.50.\nReply STOP to opt out',
    );
  });

  it('fills named parameters by name and leaves unfilled placeholders visible', () => {
    const named: TemplateDefinition = {
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Hi {{first_name}}, see you at {{time}}' }],
    };
    expect(
      renderTemplate(named, {
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }] }],
      }),
    ).toBe('Hi Ana, see you at {{time}}');
  });
});

/** ORDER_UPDATE as it would be created at Meta: with a sample for every parameter. */
const DRAFT: TemplateDraft = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  parameter_format: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1042'] } },
    {
      type: 'BODY',
      text: 'Hi {{1}}, your order {{2}} ships on {{3}}. Total: {{4}}.',
      example: { body_text: [['Maria', '#1042', 'May 3', '$12.50']] },
    },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Thanks' },
        {
          type: 'URL',
          text: 'Track',
          url: 'https://shop.example/track/{{1}}',
          example: ['https://shop.example/track/1042'],
        },
        { type: 'COPY_CODE', example: 'SAVE10' },
      ],
    },
  ],
};

/** DRAFT with one component replaced. */
function withComponent(index: number, component: Record<string, unknown>, base: TemplateDraft = DRAFT): TemplateDraft {
  return { ...base, components: base.components.map((c, i) => (i === index ? component : c)) };
}
const buttons = (list: Record<string, unknown>[]) => withComponent(3, { type: 'BUTTONS', buttons: list });
const [HEADER, BODY] = DRAFT.components as [Record<string, unknown>, Record<string, unknown>];
const fieldsOf = (draft: TemplateDraft) => templateDefinitionProblems(draft).map((p) => p.field);

describe('templateDefinitionProblems', () => {
  it('accepts a template Meta would take, in either case of type and category', () => {
    expect(templateDefinitionProblems(DRAFT)).toEqual([]);
    expect(
      templateDefinitionProblems({
        name: 'welcome',
        language: 'pt_BR',
        category: 'marketing',
        components: [{ type: 'body', text: 'Olá! Bem-vindo.' }],
      }),
    ).toEqual([]);
  });

  it('checks name, category, language and parameter format', () => {
    expect(
      templateDefinitionProblems({
        ...DRAFT,
        name: 'Order Update',
        category: 'PROMOTION',
        language: 'english',
        parameter_format: 'MIXED',
      }).map((p) => p.field),
    ).toEqual(['name', 'category', 'language', 'parameter_format']);
    expect(fieldsOf({ ...DRAFT, name: 'a'.repeat(513) })).toEqual(['name']);
  });

  it('wants exactly one BODY, and says so naming the component', () => {
    expect(templateDefinitionProblems({ ...DRAFT, components: [HEADER] })).toEqual([
      { field: 'components', message: 'The template needs a BODY component with its text' },
    ]);
    expect(templateDefinitionProblems({ ...DRAFT, components: [...DRAFT.components, BODY] })).toEqual([
      {
        field: 'components[4].type',
        message: 'components[4] (BODY): a template has one BODY, and components[1] is one already',
      },
    ]);
    expect(fieldsOf(withComponent(2, { type: 'SIGNATURE', text: 'x' }))).toEqual(['components[2].type']);
  });

  it('reports text lengths the way an admin reads them', () => {
    const long = 'Hi {{1}}, your order {{2}} ships on {{3}}. Total: {{4}}.'.padEnd(1100, '.');
    expect(templateDefinitionProblems(withComponent(1, { ...BODY, text: long }))).toEqual([
      { field: 'components[1].text', message: 'components[1] (BODY): text is 1,100 characters; Meta allows 1,024' },
    ]);
    expect(fieldsOf(withComponent(0, { type: 'HEADER', format: 'TEXT', text: 'x'.repeat(61) }))).toEqual([
      'components[0].text',
    ]);
    expect(fieldsOf(withComponent(2, { type: 'FOOTER', text: 'x'.repeat(61) }))).toEqual(['components[2].text']);
    expect(templateDefinitionProblems(withComponent(2, { type: 'FOOTER', text: 'Code {{1}}' }))).toEqual([
      { field: 'components[2].text', message: "components[2] (FOOTER): a footer can't have parameters" },
    ]);
  });

  it('checks header formats, one header parameter, and a sample for media headers', () => {
    expect(fieldsOf(withComponent(0, { type: 'HEADER', format: 'GIFT' }))).toEqual(['components[0].format']);
    expect(
      fieldsOf(
        withComponent(0, {
          type: 'HEADER',
          format: 'TEXT',
          text: '{{1}} and {{2}}',
          example: { header_text: ['a', 'b'] },
        }),
      ),
    ).toEqual(['components[0].text']);
    expect(templateDefinitionProblems(withComponent(0, { type: 'HEADER', format: 'IMAGE' }))).toEqual([
      {
        field: 'components[0].example.header_handle',
        message:
          "components[0] (HEADER): an IMAGE header needs a sample image in example.header_handle (a handle from Meta's upload API)",
      },
    ]);
    expect(fieldsOf(withComponent(0, { type: 'HEADER', format: 'LOCATION' }))).toEqual([]);
  });

  it('wants positional parameters numbered without gaps, never mixed with names', () => {
    const body = (text: string, example: unknown = { body_text: [['a', 'b', 'c']] }) =>
      templateDefinitionProblems(withComponent(1, { type: 'BODY', text, example }));
    expect(body('Hi {{1}}, order {{3}} is ready.')).toEqual([
      {
        field: 'components[1].text',
        message: 'components[1] (BODY): parameters must be numbered {{1}} to {{2}} without gaps; {{2}} is missing',
      },
    ]);
    expect(body('Hi {{first_name}}, order {{1}} is ready.').map((p) => p.message)).toEqual([
      "components[1] (BODY): {{first_name}} is a named parameter, but this template's parameters are POSITIONAL; use {{1}}, {{2}}… or switch to named parameters",
    ]);
    expect(body('Hi {{First Name}}, bye.').map((p) => p.field)).toEqual(['components[1].text']);
  });

  it('checks named parameters and their samples', () => {
    const named: TemplateDraft = {
      name: 'greeting',
      language: 'en',
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [
        {
          type: 'BODY',
          text: 'Hi {{first_name}}, your code is {{code}} today.',
          example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
        },
      ],
    };
    expect(templateDefinitionProblems(named)).toEqual([
      {
        field: 'components[0].example.body_text_named_params',
        message: 'components[0] (BODY): Meta needs a sample value for {{code}} in example.body_text_named_params',
      },
    ]);
    expect(
      templateDefinitionProblems(withComponent(0, { type: 'BODY', text: 'Hi {{1}}, welcome.' }, named)).map(
        (p) => p.message,
      ),
    ).toEqual([
      "components[0] (BODY): {{1}} is a positional parameter, but this template's parameters are NAMED; use a name such as {{first_name}}",
    ]);
  });

  it('wants a sample for every positional parameter, and refuses a body that starts or ends with one', () => {
    expect(templateDefinitionProblems(withComponent(1, { type: 'BODY', text: 'Hi {{1}}, see you on {{2}}.' }))).toEqual(
      [
        {
          field: 'components[1].example.body_text',
          message: 'components[1] (BODY): Meta needs a sample value for {{1}}, {{2}} in example.body_text',
        },
      ],
    );
    expect(fieldsOf(withComponent(0, { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' }))).toEqual([
      'components[0].example.header_text',
    ]);
    const edge = templateDefinitionProblems(
      withComponent(1, { type: 'BODY', text: '{{1}}, your order shipped', example: { body_text: [['Ana']] } }),
    );
    expect(edge.map((p) => p.message)).toEqual([
      "components[1] (BODY): text can't start or end with a parameter; Meta rejects that, so add words around it",
    ]);
  });

  it("checks buttons against Meta's counts and limits", () => {
    const quick = (text: string) => ({ type: 'QUICK_REPLY', text });
    const url = { type: 'URL', text: 'Shop', url: 'https://shop.example' };
    expect(fieldsOf(buttons(Array.from({ length: 11 }, (_, i) => quick(`Option ${i}`))))).toEqual([
      'components[3].buttons',
    ]);
    expect(templateDefinitionProblems(buttons([url, url, url]))).toEqual([
      { field: 'components[3].buttons', message: 'components[3] (BUTTONS): 3 URL buttons; Meta allows 2' },
    ]);
    expect(templateDefinitionProblems(buttons([quick('Yes'), url, quick('No')]))).toEqual([
      {
        field: 'components[3].buttons',
        message: 'components[3] (BUTTONS): quick reply buttons must be next to each other, not between other buttons',
      },
    ]);
    const phone = { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15550100' };
    expect(fieldsOf(buttons([phone, phone]))).toEqual(['components[3].buttons']);
    expect(
      fieldsOf(
        buttons([
          quick('This label is longer than 25 characters'),
          { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+1 555 010 0100 ext 12345' },
          { type: 'COPY_CODE', example: 'SUMMER-SALE-2025-XL' },
        ]),
      ),
    ).toEqual([
      'components[3].buttons[0].text',
      'components[3].buttons[1].phone_number',
      'components[3].buttons[2].example',
    ]);
  });

  it('allows one trailing {{1}} in a URL, with a sample', () => {
    const url = (value: string, example?: string[]) =>
      templateDefinitionProblems(buttons([{ type: 'URL', text: 'Open', url: value, ...(example && { example }) }]));
    expect(url('https://shop.example/p/{{1}}', ['https://shop.example/p/42'])).toEqual([]);
    expect(url('https://shop.example/{{1}}/p', ['https://shop.example/a/p'])).toEqual([
      {
        field: 'components[3].buttons[0].url',
        message: 'components[3] (BUTTONS) button 1 (URL): url may end with one parameter, {{1}}, and have no other',
      },
    ]);
    expect(url('https://shop.example/p/{{1}}').map((p) => p.field)).toEqual(['components[3].buttons[0].example']);
    expect(url(`https://shop.example/${'x'.repeat(2000)}`).map((p) => p.message)).toEqual([
      'components[3] (BUTTONS) button 1 (URL): url is 2,021 characters; Meta allows 2,000',
    ]);
  });
});

describe('templateParameterKeys', () => {
  it('addresses every value as header.<name>, body.<name> and button.<index>, with samples', () => {
    expect(templateParameterKeys(DRAFT)).toEqual([
      { key: 'header.1', field: 'template.components.header.parameters[0]', label: 'Header {{1}}', example: '#1042' },
      { key: 'body.1', field: 'template.components.body.parameters[0]', label: 'Body {{1}}', example: 'Maria' },
      { key: 'body.2', field: 'template.components.body.parameters[1]', label: 'Body {{2}}', example: '#1042' },
      { key: 'body.3', field: 'template.components.body.parameters[2]', label: 'Body {{3}}', example: 'May 3' },
      { key: 'body.4', field: 'template.components.body.parameters[3]', label: 'Body {{4}}', example: '$12.50' },
      {
        key: 'button.1',
        field: 'template.components.button[1].parameters[0]',
        label: 'Button 2 URL {{1}}',
        example: '1042',
      },
      {
        key: 'button.2',
        field: 'template.components.button[2].parameters[0]',
        label: 'Button 3 coupon code',
        example: 'SAVE10',
      },
    ]);
  });

  it('names media headers and named parameters', () => {
    const media: TemplateDefinition = {
      parameter_format: 'NAMED',
      components: [
        { type: 'HEADER', format: 'VIDEO', example: { header_handle: ['https://cdn.example/v.mp4'] } },
        {
          type: 'BODY',
          text: 'Hi {{first_name}}!',
          example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
        },
      ],
    };
    expect(templateParameterKeys(media)).toEqual([
      {
        key: 'header.1',
        field: 'template.components.header.parameters[0]',
        label: 'Header video (link or media id)',
        mediaType: 'video',
        example: 'https://cdn.example/v.mp4',
      },
      {
        key: 'body.first_name',
        field: 'template.components.body.parameters[0]',
        label: 'Body {{first_name}}',
        example: 'Ana',
      },
    ]);
  });
});

describe('templateComponentsFrom', () => {
  it("builds Meta's send components, which pass the send check", () => {
    const values = {
      'header.1': '#7',
      'body.1': 'Ana',
      'body.2': '#7',
      'body.3': 'June 1',
      'body.4': '$3',
      'button.1': '7',
      'button.2': 'WELCOME',
    };
    const components = templateComponentsFrom(DRAFT, values);
    expect(components).toEqual([
      { type: 'header', parameters: [text('#7')] },
      { type: 'body', parameters: [text('Ana'), text('#7'), text('June 1'), text('$3')] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [text('7')] },
      {
        type: 'button',
        sub_type: 'copy_code',
        index: '2',
        parameters: [{ type: 'coupon_code', coupon_code: 'WELCOME' }],
      },
    ]);
    expect(templateParameterProblems(DRAFT, send(components))).toEqual([]);
    expect(templateParameterProblems(DRAFT, send(templateComponentsFrom(DRAFT, {}))).map((p) => p.field)).toContain(
      'template.components.body.parameters[0].text',
    );
  });

  it('sends named parameters by name, media by link or id', () => {
    const definition: TemplateDefinition = {
      parameter_format: 'NAMED',
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hi {{first_name}}' },
      ],
    };
    expect(
      templateComponentsFrom(definition, { 'header.1': 'https://cdn.example/a.png', 'body.first_name': 'Ana' }),
    ).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/a.png' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }] },
    ]);
    expect(templateComponentsFrom(definition, { 'header.1': '1234567890' })[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'image', image: { id: '1234567890' } }],
    });
  });
});

describe('previewTemplate', () => {
  it('shows the values given, and the samples for the rest', () => {
    const preview = previewTemplate(DRAFT, { 'body.1': 'Ana', 'button.1': '77' });
    expect(preview).toEqual({
      header: { format: 'TEXT', text: 'Order #1042' },
      body: 'Hi Ana, your order #1042 ships on May 3. Total: $12.50.',
      footer: 'Reply STOP to opt out',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Thanks' },
        { type: 'URL', text: 'Track', url: 'https://shop.example/track/77' },
        { type: 'COPY_CODE', text: 'Copy offer code', code: 'SAVE10' },
      ],
    });
    expect(templatePreviewText(preview)).toBe(
      'Order #1042\nHi Ana, your order #1042 ships on May 3. Total: $12.50.\nReply STOP to opt out',
    );
  });

  it('keeps {{x}} where there is neither value nor sample, and shows media headers by link', () => {
    const definition: TemplateDefinition = {
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'New in {{1}}!' },
        { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550100' }] },
      ],
    };
    expect(previewTemplate(definition, { 'header.1': 'https://cdn.example/a.png', 'body.1': '  ' })).toEqual({
      header: { format: 'IMAGE', media: 'https://cdn.example/a.png' },
      body: 'New in {{1}}!',
      footer: null,
      buttons: [{ type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+15550100' }],
    });
  });
});
