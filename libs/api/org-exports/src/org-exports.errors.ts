import { DomainError, ErrorCode } from '@parley/api/core';

export const exportInProgress = (exportId: string | undefined) =>
  new DomainError(
    ErrorCode.ExportInProgress,
    'An export of this organization is already queued or running: follow that one, or ask again once it is done',
    exportId ? { exportId } : undefined,
  );

export const archiveNotAvailable = () =>
  new DomainError(ErrorCode.NotFound, 'Export archive not found: the export is not ready, or it has expired');
