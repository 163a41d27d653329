/*
 * The API's 422 names each field at fault (`trigger.keywords`, `actions[1].message.text.body`). The
 * editors show a message beside the field it names; what no field on screen claims shows under
 * its row, so nothing the API said is lost.
 */

export type FieldErrors = Readonly<Record<string, string>>;

/** Field → message (two messages for one field are joined). */
export function fieldErrorsOf(fields: readonly { field: string; message: string }[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const { field, message } of fields) errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  return errors;
}

/** The errors about `prefix` and what is inside it, named relative to it (`actions[1]` → `message.text.body`). */
export function errorsUnder(errors: FieldErrors, prefix: string): FieldErrors {
  const under: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    if (field === prefix) under[''] = message;
    else if (field.startsWith(`${prefix}.`)) under[field.slice(prefix.length + 1)] = message;
    else if (field.startsWith(`${prefix}[`)) under[field.slice(prefix.length)] = message;
  }
  return under;
}

/**
 * A message to show beside its field: the API's messages start with the field's path
 * ("actions[0].message.text.body is required", or for a message's own parts "text.body is
 * required"); beside the field the path says nothing, so it goes ("Required").
 */
export function plainMessage(field: string, message: string): string {
  const parts = field.split('.');
  for (let i = 0; i < parts.length; i++) {
    const path = parts.slice(i).join('.');
    if (path && message.startsWith(`${path} `)) {
      const rest = message.slice(path.length + 1);
      const text = rest.startsWith('is required') ? `Required${rest.slice('is required'.length)}` : rest;
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
  }
  return message;
}

/** The message for one field, plain; null when there is none. */
export function errorAt(errors: FieldErrors, field: string): string | null {
  const message = errors[field];
  return message === undefined ? null : plainMessage(field, message);
}

/** The messages whose fields are not among `shown`, as the API wrote them (they name what they are about). */
export function unclaimed(errors: FieldErrors, shown: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([field]) => !shown.includes(field))
    .map(([, message]) => message);
}
