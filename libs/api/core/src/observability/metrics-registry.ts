import { Global, Injectable, Module } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** The process's Prometheus registry: features add their counters; `/metrics` serves it. */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}

@Global()
@Module({ providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsModule {}
