import { placeholdersOf, renderTemplate, TemplateDefinition, templateParameterProblems } from './templates';
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
