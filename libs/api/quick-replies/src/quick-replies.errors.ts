import { DomainError, ErrorCode } from '@parley/api/core';

export const shortcutTaken = (shortcut: string) =>
  DomainError.invalidField(
    ErrorCode.QuickReplyExists,
    'shortcut',
    `The shortcut /${shortcut} is already used by another quick reply`,
  );
