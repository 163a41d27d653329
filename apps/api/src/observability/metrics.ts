import { Controller, Get, Header, Headers, Injectable, NestMiddleware, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig, DomainError, ErrorCode, MetricsRegistry, safeEqual, withDeadline } from '@parley/api/core';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueDepths } from './queue-depths';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Prometheus metrics of this process: Node defaults, HTTP traffic and queue depths. */
@Injectable()
export class Metrics implements OnModuleInit {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpErrors: Counter<'status'>;

  constructor(
    private readonly queues: QueueDepths,
    metrics: MetricsRegistry,
  ) {
    this.registry = metrics.registry;
    this.httpDuration = new Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.httpErrors = metrics.counter('parley_http_errors_total', 'HTTP responses with status >= 400, by status', [
      'status',
    ]);
  }

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
    const queues = this.queues;
    new Gauge({
      name: 'parley_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        // Redis down must not stall the scrape: queue depths are skipped, everything else is served.
        const counts: Awaited<ReturnType<QueueDepths['counts']>> = await withDeadline(queues.counts(), 1_000).catch(
          () => ({}),
        );
        for (const [queue, jobs] of Object.entries(counts)) {
          for (const state of JOB_STATES) this.set({ queue, state }, jobs[state]);
        }
      },
    });
  }
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route pattern keeps label cardinality bounded.
      const route: string = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const status = String(res.statusCode);
      stop({ method: req.method, route, status });
      if (res.statusCode >= 400) this.metrics.httpErrors.inc({ status });
    });
    next();
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    if (this.config.METRICS_TOKEN && !safeEqual(authorization ?? '', `Bearer ${this.config.METRICS_TOKEN}`)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Metrics need the METRICS_TOKEN bearer token');
    }
    return this.metrics.registry.metrics();
  }
}
