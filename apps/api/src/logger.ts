import type { LogLevel } from '@nestjs/common';
import type { AppConfig } from '@parley/api/core';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The Nest log levels at and above the configured one. */
export function logLevels(config: AppConfig): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1);
}
