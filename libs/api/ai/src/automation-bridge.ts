import { Injectable, OnModuleInit } from '@nestjs/common';
import { AutomationEngine } from '@parley/api/automation';
import { AiService } from './ai.service';

/**
 * Hands automation's `ai_reply` actions to AI triage: the engine calls its handler once the
 * transaction that ran the rule committed. Set here, by the feature that owns AI replies, so
 * automation needs not depend on it.
 */
@Injectable()
export class AutomationAiBridge implements OnModuleInit {
  constructor(
    private readonly engine: AutomationEngine,
    private readonly ai: AiService,
  ) {}

  onModuleInit(): void {
    this.engine.autoReplyHandler = (request) => this.ai.queueAutoReply(request);
  }
}
