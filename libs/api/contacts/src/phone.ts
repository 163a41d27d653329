import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number in E.164 (`+5511987654321`), or null when it is not a valid number. WhatsApp ids
 * are E.164 digits without the plus; numbers typed by people may have spaces, dashes and brackets.
 */
export function toE164(input: string, defaultCountry?: string): string | null {
  const text = input.trim();
  const withPlus = /^\+/.test(text) || !defaultCountry ? `+${text.replace(/^\+/, '')}` : text;
  const parsed = parsePhoneNumberFromString(
    withPlus,
    defaultCountry as Parameters<typeof parsePhoneNumberFromString>[1],
  );
  return parsed?.isValid() ? parsed.number : null;
}
