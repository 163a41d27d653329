import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@parley/api/core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PlatformInfoDto } from './dto/platform-info.dto';

@ApiTags('Platform')
@Controller('platform')
export class PlatformController {
  private readonly version = packageVersion();

  constructor(private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({
    operationId: 'getPlatformInfo',
    summary: 'Public facts about this deployment: whether the WhatsApp sandbox is available, and the version',
  })
  @ApiOkResponse({ type: PlatformInfoDto })
  get(): PlatformInfoDto {
    const sandboxUrl = this.config.sandboxUrl;
    return { sandbox: sandboxUrl !== null, sandboxUrl, version: this.version };
  }
}

/**
 * Parley's version, from the workspace's package.json: the first one named `parley` from the working
 * directory up (the repository or a project inside it, or /app in the image).
 */
function packageVersion(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    try {
      const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      if (name === 'parley' && typeof version === 'string') return version;
    } catch {
      // no (readable) package.json here: look further up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
