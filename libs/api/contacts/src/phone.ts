import { CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number in E.164 (`+5511987654321`), or null when it is not a valid number. WhatsApp ids
 * are E.164 digits without the plus; numbers typed by people may have spaces, dashes and brackets.
 * With a default country, a number without `+` is read as a national number of that country
 * first, then as an international one (spreadsheets often drop the `+`).
 */
export function toE164(input: string, defaultCountry?: string): string | null {
  const text = input.trim();
  const international = () => parse(`+${text.replace(/^\+/, '')}`);
  if (/^\+/.test(text) || !defaultCountry) return international();
  return parse(text, defaultCountry as CountryCode) ?? international();
}

function parse(text: string, country?: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(text, country);
  return parsed?.isValid() ? parsed.number : null;
}

/** True for an ISO 3166-1 alpha-2 code (upper case) whose numbering plan is known. */
export function isPhoneCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}
