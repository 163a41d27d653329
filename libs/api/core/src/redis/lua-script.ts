import type Redis from 'ioredis';
import { createHash } from 'node:crypto';

/**
 * A Lua script that Redis is sent by its SHA1 (EVALSHA): its text goes only when Redis does not
 * know it yet (the first run, or after Redis restarted). A pacer runs three scripts per message.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** `EVAL`'s arguments after the script: how many keys, then the keys and the arguments. */
  async run(redis: Redis, keyCount: number, ...keysAndArgs: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keyCount, ...keysAndArgs);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return redis.eval(this.lua, keyCount, ...keysAndArgs);
    }
  }
}
