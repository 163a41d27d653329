import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectRedis, withDeadline } from '@parley/api/core';
import type { Response } from 'express';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { QueueDepths } from './queue-depths';

interface Check {
  status: 'up' | 'down';
  latencyMs: number;
}

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly queues: QueueDepths,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'health',
    summary: 'Readiness: database, Redis and queue depths; 503 when a dependency is down',
  })
  @ApiOkResponse({ description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, redis] = await Promise.all([
      this.check('database', () => this.dataSource.query('SELECT 1')),
      this.check('redis', () => this.redis.ping()),
    ]);
    const queues = redis.status === 'up' ? await withDeadline(this.queues.counts(), 2_000).catch(() => ({})) : {};
    const ok = database.status === 'up' && redis.status === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'error', checks: { database, redis }, queues };
  }

  /** Probes a dependency with a deadline; failures are logged, not shown (the endpoint is public). */
  private async check(name: string, probe: () => Promise<unknown>, timeoutMs = 2_000): Promise<Check> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      await withDeadline(probe(), timeoutMs);
      return { status: 'up', latencyMs: elapsed() };
    } catch (error) {
      this.logger.warn(`${name} is down: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 'down', latencyMs: elapsed() };
    }
  }
}
