import { DomainError, ErrorCode, FieldError } from '@parley/api/core';
import type { Template } from './entities/template.entity';

export const templateInvalid = (problems: FieldError[]) =>
  new DomainError(
    ErrorCode.TemplateInvalid,
    `Meta would refuse this template: ${problems.map((p) => p.message).join('; ')}`,
    problems,
  );

export const templateExists = (name: string, language: string) =>
  DomainError.invalidField(
    ErrorCode.TemplateExists,
    'name',
    `This WhatsApp account already has a template named ${name} in ${language}`,
  );

/** The template's status does not allow the change; `why` says what would. */
export const templateNotEditable = (
  template: Pick<Template, 'name' | 'status'>,
  why: string,
  fields: string[] = [],
) => {
  const message = `Template ${template.name} is ${template.status}: ${why}`;
  return new DomainError(
    ErrorCode.TemplateStateConflict,
    message,
    fields.length > 0 ? fields.map((field) => ({ field, message })) : undefined,
  );
};
