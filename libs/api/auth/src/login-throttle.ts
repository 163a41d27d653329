import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, ErrorCode, WindowCounter } from '@parley/api/core';

/**
 * Counts failed sign-ins in Redis (shared by every api process) per email and address, and per
 * email alone with a looser limit, so neither one client nor a botnet can guess passwords quickly.
 */
@Injectable()
export class LoginThrottle {
  private readonly windowMs: number;

  constructor(
    private readonly counter: WindowCounter,
    private readonly config: AppConfig,
  ) {
    this.windowMs = config.LOGIN_WINDOW_SECONDS * 1_000;
  }

  private keys(email: string, ip: string | undefined): [string, number][] {
    const max = this.config.LOGIN_MAX_ATTEMPTS;
    return [
      [`login:${email}:${ip ?? 'unknown'}`, max],
      [`login:${email}`, max * 4],
    ];
  }

  /** 429 with `Retry-After` when a limit is reached. */
  async assertAllowed(email: string, ip: string | undefined): Promise<void> {
    for (const [key, max] of this.keys(email, ip)) {
      const state = await this.counter.peek(key);
      if (state.count >= max) {
        const retryAfter = Math.max(1, Math.ceil(state.resetInMs / 1_000));
        throw new DomainError(ErrorCode.RateLimited, `Too many failed sign-ins; try again in ${retryAfter} s`, undefined, {
          'Retry-After': String(retryAfter),
        });
      }
    }
  }

  async recordFailure(email: string, ip: string | undefined): Promise<void> {
    await Promise.all(this.keys(email, ip).map(([key]) => this.counter.hit(key, this.windowMs)));
  }

  async recordSuccess(email: string, ip: string | undefined): Promise<void> {
    await this.counter.reset(this.keys(email, ip)[0][0]);
  }
}
