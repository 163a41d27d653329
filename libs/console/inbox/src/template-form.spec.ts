import type { TemplateDto } from '@parley/console/api-client';
import {
  type TemplateField,
  fieldProblem,
  formProblems,
  sendProblems,
  templateFields,
  templateMessage,
  templatePreview,
} from './template-form';

type Template = Pick<TemplateDto, 'name' | 'language' | 'components' | 'parameterFormat'>;

const orderUpdate: Template = {
  name: 'order_update',
  language: 'en_US',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.' }],
};

const welcome: Template = {
  name: 'welcome_offer',
  language: 'en_US',
  parameterFormat: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Welcome to {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}! Enjoy 10% off with code {{2}}.' },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Shop', url: 'https://shop.example/{{1}}' }] },
  ],
};

const named: Template = {
  name: 'delivery',
  language: 'pt_BR',
  parameterFormat: 'NAMED',
  components: [{ type: 'BODY', text: 'Olá {{first_name}}, chega {{day}}.' }],
};

describe('the template parameters form', () => {
  it('asks for every placeholder, header first, then body, then button', () => {
    expect(templateFields(welcome).map((field) => [field.id, field.label])).toEqual([
      ['header.1', 'Header {{1}}'],
      ['body.1', 'Body {{1}}'],
      ['body.2', 'Body {{2}}'],
      ['button:0.1', 'Button 1 {{1}}'],
    ]);
    expect(templateFields(named).map((field) => field.id)).toEqual(['body.first_name', 'body.day']);
  });

  it('refuses what Meta would: empty values, line breaks, tabs, five spaces, or too long a header', () => {
    const [header, body] = templateFields(welcome) as [TemplateField, TemplateField];
    expect(fieldProblem(body, '')).toBe('Required');
    expect(fieldProblem(body, '  ')).toBe('Required');
    expect(fieldProblem(body, 'two\nlines')).toBe('No line breaks or tabs');
    expect(fieldProblem(body, 'a\tb')).toBe('No line breaks or tabs');
    expect(fieldProblem(body, 'a     b')).toBe('No more than four spaces in a row');
    expect(fieldProblem(header, 'x'.repeat(61))).toBe('At most 60 characters');
    expect(fieldProblem(body, 'Maria')).toBeNull();
  });

  it('is valid only when every field is, and then the API check agrees', () => {
    const partial = { 'body.1': 'Maria', 'body.2': '#4521' };
    expect(Object.keys(formProblems(templateFields(orderUpdate), partial))).toEqual(['body.3']);
    expect(sendProblems(orderUpdate, partial)).toEqual([
      expect.stringContaining('template.components.body.parameters[2].text must be a non-empty string'),
    ]);

    const complete = { ...partial, 'body.3': 'tomorrow' };
    expect(formProblems(templateFields(orderUpdate), complete)).toEqual({});
    expect(sendProblems(orderUpdate, complete)).toEqual([]);
  });

  it('previews the message as the customer reads it, with unfilled placeholders showing', () => {
    expect(templatePreview(orderUpdate, { 'body.1': 'Maria' })).toBe(
      'Hi Maria, your order {{2}} has shipped and arrives {{3}}.',
    );
    expect(templatePreview(welcome, { 'header.1': 'Acme', 'body.1': 'Jo', 'body.2': 'SAVE10' })).toBe(
      'Welcome to Acme\nHi Jo! Enjoy 10% off with code SAVE10.\nReply STOP to opt out',
    );
  });

  it("builds the send in Meta's shape: positional, named, and URL buttons", () => {
    expect(
      templateMessage(welcome, { 'header.1': 'Acme', 'body.1': 'Jo', 'body.2': 'SAVE10', 'button:0.1': 'spring' }),
    ).toEqual({
      name: 'welcome_offer',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'Acme' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Jo' },
            { type: 'text', text: 'SAVE10' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'spring' }] },
      ],
    });
    expect(templateMessage(named, { 'body.first_name': 'Ana', 'body.day': 'amanhã' }).components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Ana', parameter_name: 'first_name' },
          { type: 'text', text: 'amanhã', parameter_name: 'day' },
        ],
      },
    ]);
  });
});
