import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, secondsToReset, WindowCounter } from '@parley/api/core';

/**
 * Counts sign-in attempts in Redis (shared by every api process) per email and address, and per
 * email alone with a looser limit, so neither one client nor a botnet can guess passwords quickly.
 * Each attempt is counted before the password is checked, so parallel guesses can't all slip
 * under the limit; a successful sign-in clears the email-and-address count.
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

  /** Counts this attempt; 429 with `Retry-After` when it goes over a limit. */
  async attempt(email: string, ip: string | undefined): Promise<void> {
    const states = await Promise.all(
      this.keys(email, ip).map(async ([key, max]) => ({ max, ...(await this.counter.hit(key, this.windowMs)) })),
    );
    const over = states.find((state) => state.count > state.max);
    if (over) {
      const retryAfter = secondsToReset(over);
      throw DomainError.rateLimited(`Too many sign-in attempts; try again in ${retryAfter} s`, retryAfter);
    }
  }

  async succeeded(email: string, ip: string | undefined): Promise<void> {
    await this.counter.reset(this.keys(email, ip)[0][0]);
  }
}
