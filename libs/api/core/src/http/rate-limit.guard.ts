import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { withDeadline } from '../async/deadline';
import { AppConfig } from '../config/app-config';
import { optionalPrincipal } from '../context/request-context';
import { DomainError } from '../errors/domain-error';
import { secondsToReset, WindowCounter, type WindowState } from '../redis/window-counter';

/** How long the counter may take before the request goes through uncounted. */
const REDIS_DEADLINE_MS = 250;

/**
 * Requests per signed-in user and per API key, counted in Redis so every api process shares one
 * budget (fixed windows of RATE_LIMIT_WINDOW_SECONDS). Every counted answer carries
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy`;
 * over the limit, a 429 with `Retry-After`. Runs after AccessGuard; unauthenticated routes (Meta's
 * webhooks, sign-in, which has its own throttle) are not counted. If Redis does not answer in time
 * the request goes through: an outage of the counter must not become an outage of the API.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);

  constructor(
    private readonly counter: WindowCounter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const caller = optionalPrincipal();
    if (!caller || context.getType() !== 'http') return true;
    const [key, limit] =
      caller.kind === 'user'
        ? [`rate:user:${caller.userId}`, this.config.RATE_LIMIT_USER_REQUESTS]
        : [`rate:api_key:${caller.apiKeyId}`, this.config.RATE_LIMIT_API_KEY_REQUESTS];
    const windowSeconds = this.config.RATE_LIMIT_WINDOW_SECONDS;
    let state: WindowState;
    try {
      state = await withDeadline(this.counter.hit(key, windowSeconds * 1_000), REDIS_DEADLINE_MS);
    } catch (error) {
      this.logger.warn(`rate limit not counted: ${error instanceof Error ? error.message : String(error)}`);
      return true;
    }
    const reset = secondsToReset(state);
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('RateLimit-Limit', String(limit))
      .setHeader('RateLimit-Remaining', String(Math.max(0, limit - state.count)))
      .setHeader('RateLimit-Reset', String(reset))
      .setHeader('RateLimit-Policy', `${limit};w=${windowSeconds}`);
    if (state.count <= limit) return true;
    throw DomainError.rateLimited(
      `Rate limit of ${limit} requests per ${windowSeconds} s reached; try again in ${reset} s`,
      reset,
      { limit, windowSeconds },
    );
  }
}
