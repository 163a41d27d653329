import { DomainError, ErrorCode } from '@parley/api/core';
import type { ScheduledMessageStatus } from './entities/scheduled-message.entity';

export const invalidScheduledAt = (message: string) =>
  DomainError.invalidField(ErrorCode.ValidationFailed, 'scheduledAt', message);

export const unknownContact = (contactId: string) =>
  DomainError.invalidField(
    ErrorCode.ValidationFailed,
    'contactId',
    `contactId ${contactId} is not a contact of this organization`,
  );

export const notCancellable = (status: ScheduledMessageStatus) =>
  new DomainError(
    ErrorCode.ScheduledMessageNotCancellable,
    `The message is ${status}: only a scheduled message that has not gone out yet can be cancelled`,
  );
