import type { PlatformOptions } from './start';
import { startPlatform } from './start';

/**
 * Jest's `globalSetup` for black-box suites; the options come from the project's `globals.platform`.
 * Jest loads this with plain `require`, outside its resolver, so it imports only relative paths.
 */
export default function globalSetup(_config: unknown, project: { globals: Record<string, unknown> }): Promise<void> {
  return startPlatform(project.globals['platform'] as PlatformOptions);
}
