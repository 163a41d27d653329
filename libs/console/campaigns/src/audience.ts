import type { AttributeConditionDto, AudienceDto } from '@parley/console/api-client';

export type AttributeOp = AttributeConditionDto['op'];

export const ATTRIBUTE_OPS: { op: AttributeOp; label: string }[] = [
  { op: 'eq', label: 'is' },
  { op: 'neq', label: 'is not' },
  { op: 'contains', label: 'contains' },
  { op: 'exists', label: 'is set' },
  { op: 'not_exists', label: 'is not set' },
];

/** Operators that compare with a value. */
export const needsValue = (op: AttributeOp) => op !== 'exists' && op !== 'not_exists';

/** The builder's audience inputs. */
export interface AudienceForm {
  /** Contacts matching tags and attributes, or an explicit list of numbers. */
  mode: 'filters' | 'phones';
  any: string[];
  all: string[];
  none: string[];
  attributes: AttributeConditionDto[];
  phones: string[];
}

export const EMPTY_AUDIENCE: AudienceForm = { mode: 'filters', any: [], all: [], none: [], attributes: [], phones: [] };

/** The API's audience for the form: only the conditions given (none at all: every contact). */
export function audienceOf(form: AudienceForm): AudienceDto {
  if (form.mode === 'phones') return { phones: form.phones };
  const tags = {
    ...(form.any.length > 0 && { any: form.any }),
    ...(form.all.length > 0 && { all: form.all }),
    ...(form.none.length > 0 && { none: form.none }),
  };
  // Every row, blank ones too: the API's errors name conditions by their index.
  const attributes = form.attributes.map(({ key, op, value }) => ({
    key: key.trim(),
    op,
    ...(needsValue(op) && { value: value ?? '' }),
  }));
  return {
    ...(Object.keys(tags).length > 0 && { tags }),
    ...(attributes.length > 0 && { attributes }),
  };
}

export function formOf(audience: AudienceDto | undefined): AudienceForm {
  if (audience?.phones) return { ...EMPTY_AUDIENCE, mode: 'phones', phones: audience.phones };
  return {
    mode: 'filters',
    any: audience?.tags?.any ?? [],
    all: audience?.tags?.all ?? [],
    none: audience?.tags?.none ?? [],
    attributes: audience?.attributes ?? [],
    phones: [],
  };
}
