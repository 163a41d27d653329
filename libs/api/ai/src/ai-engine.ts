import { Injectable } from '@nestjs/common';
import { AiBudget } from './ai-budget';
import type { EffectiveAiSettings } from './ai-settings.service';
import { LocalProvider } from './providers/local/local.provider';
import type { AiProvider } from './providers/provider';
import { remoteProvider } from './providers/remote';

/** Which provider a call uses, and why. */
export interface Choice {
  provider: AiProvider;
  /** The org has a remote provider, but today's budget is spent. */
  overBudget: boolean;
}

/** Picks the provider for each call: the org's remote one while its daily budget lasts (counting the call), else the local one. */
@Injectable()
export class AiEngine {
  readonly local = new LocalProvider();

  constructor(private readonly budget: AiBudget) {}

  async choose(orgId: string, settings: EffectiveAiSettings): Promise<Choice> {
    if (settings.provider === 'local' || !settings.remote) return { provider: this.local, overBudget: false };
    if (!(await this.budget.take(orgId, settings.dailyBudget))) return { provider: this.local, overBudget: true };
    return { provider: remoteProvider(settings.provider, settings.remote), overBudget: false };
  }
}
