import { DomainError, ErrorCode } from '@parley/api/core';

export const invalidPhone = (field = 'phone') =>
  DomainError.invalidField(
    ErrorCode.ValidationFailed,
    field,
    `${field} is not a valid phone number: use international format (+5511987654321), or give defaultCountry for national numbers`,
  );

export const contactExists = () =>
  DomainError.invalidField(ErrorCode.ContactExists, 'phone', 'A contact with this phone number already exists');

export const contactErased = () =>
  new DomainError(ErrorCode.ContactErased, "This contact's personal data was erased; it can't be changed");

/** The uploaded file as a whole is unusable (not CSV, no phone column, too large...). */
export const badFile = (message: string, code = ErrorCode.ValidationFailed) =>
  DomainError.invalidField(code, 'file', message);
