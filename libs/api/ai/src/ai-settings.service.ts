import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { DomainError, ErrorCode, OrgConfigCache, returning, SECRET_MASK, SecretBox } from '@parley/api/core';
import { DataSource, EntityManager } from 'typeorm';
import { AiBudget } from './ai-budget';
import {
  type AiSettingsValues,
  DEFAULT_AI_SETTINGS,
  effectiveBaseUrl,
  settingsProblems,
  tidyIntents,
} from './ai-settings.rules';
import { AiSettingsDto, AiSettingsInputDto, AiTestResultDto } from './dto/ai-settings.dto';
import { AiSettings } from './entities/ai-settings.entity';
import { type RemoteSettings } from './providers/chat-clients';
import { AiEngine } from './ai-engine';
import { AiProviderError } from './providers/provider';
import { remoteProvider } from './providers/remote';

/** The associated data that binds a sealed API key to its org's settings row. */
const sealedAt = (orgId: string) => `ai_settings.api_key:${orgId}`;

/** What the connection test asks the provider to read. */
const TEST_MESSAGE = 'Hi! How much are the blue sneakers in size 42? I would like to order two pairs.';

/** The settings the AI runs with: values, and where the remote provider is with its key opened. Never for responses or logs. */
export interface EffectiveAiSettings extends AiSettingsValues {
  remote: RemoteSettings | null;
}

/** The settings after an input is applied, and what becomes of the key. */
interface Merged {
  values: AiSettingsValues;
  /** The key to use: the given one, the saved one (when it may follow), or null. */
  apiKey: string | null;
  keyChange: 'set' | 'removed' | 'kept' | 'none';
}

const valuesOf = (row: AiSettings | null): AiSettingsValues =>
  row
    ? {
        provider: row.provider,
        baseUrl: row.baseUrl,
        model: row.model,
        intents: row.intents,
        autoTriage: row.autoTriage,
        dailyBudget: row.dailyBudget,
        summaryAfter: row.summaryAfter,
        timeoutMs: row.timeoutMs,
      }
    : {
        ...DEFAULT_AI_SETTINGS,
        intents: DEFAULT_AI_SETTINGS.intents.map((i) => ({ ...i, keywords: [...i.keywords] })),
      };

const blankToNull = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);

/** Per-org AI settings: read (key masked), saved (audited, key sealed), tried against the provider. */
@Injectable()
export class AiSettingsService {
  private readonly logger = new Logger(AiSettingsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
    private readonly budget: AiBudget,
    private readonly engine: AiEngine,
    private readonly cache: OrgConfigCache,
  ) {}

  private row(orgId: string, manager: EntityManager = this.dataSource.manager): Promise<AiSettings | null> {
    return manager.findOne(AiSettings, { where: { orgId } });
  }

  /** The row (or none) as last saved, cached: it is asked for every customer message. `update` announces changes. */
  private async cachedRow(orgId: string): Promise<AiSettings | null> {
    return (await this.cache.get('ai_settings', orgId, async () => ({ row: await this.row(orgId) }))).row;
  }

  /** Whether triage reads the org's customer messages (the webhook path asks before queueing any). */
  async autoTriage(orgId: string): Promise<boolean> {
    return valuesOf(await this.cachedRow(orgId)).autoTriage;
  }

  async view(orgId: string): Promise<AiSettingsDto> {
    return this.toDto(await this.row(orgId), await this.budget.used(orgId));
  }

  /** The settings to run with, defaults filled in and the key opened. */
  async effective(orgId: string): Promise<EffectiveAiSettings> {
    const row = await this.cachedRow(orgId);
    const values = valuesOf(row);
    const apiKey = row?.apiKeyEncrypted ? this.secrets.decrypt(row.apiKeyEncrypted, sealedAt(orgId)) : null;
    return { ...values, remote: this.remoteOf(values, apiKey) };
  }

  async update(orgId: string, input: AiSettingsInputDto): Promise<AiSettingsDto> {
    const saved = await this.dataSource.transaction(async (manager) => {
      // One row per org, made on the first save; the lock serializes concurrent saves.
      const inserted = await returning(
        manager,
        `INSERT INTO ai_settings (org_id, intents) VALUES ($1, $2) ON CONFLICT (org_id) DO NOTHING RETURNING id`,
        [orgId, JSON.stringify(DEFAULT_AI_SETTINGS.intents)],
      );
      const fresh = inserted.length > 0;
      const row = await manager.findOneOrFail(AiSettings, { where: { orgId }, lock: { mode: 'pessimistic_write' } });
      const before = valuesOf(fresh ? null : row);
      const merged = this.merge(orgId, fresh ? null : row, input);
      Object.assign(row, merged.values);
      if (merged.keyChange === 'set' && merged.apiKey) {
        row.apiKeyEncrypted = this.secrets.encrypt(merged.apiKey, sealedAt(orgId));
        row.apiKeyHint = merged.apiKey.length >= 24 ? merged.apiKey.slice(-4) : '';
      } else if (merged.keyChange === 'removed' || merged.keyChange === 'none') {
        row.apiKeyEncrypted = null;
        row.apiKeyHint = '';
      }
      const stored = await manager.save(row);
      const changes = changesBetween(before, merged.values);
      if (merged.keyChange === 'set') changes.after['apiKey'] = 'rotated';
      if (merged.keyChange === 'removed' && !fresh) changes.after['apiKey'] = 'removed';
      if (Object.keys(changes.after).length > 0 || fresh) {
        await this.audit.record(manager, {
          orgId,
          action: 'ai_settings.updated',
          targetType: 'ai_settings',
          targetId: stored.id,
          changes,
        });
      }
      return stored;
    });
    await this.cache.changed('ai_settings', orgId);
    return this.toDto(saved, await this.budget.used(orgId));
  }

  /**
   * One call to the provider with the given settings over the saved ones (nothing is saved): did it
   * answer, how fast, and what went wrong. Not counted against the budget: an admin is checking.
   */
  async test(orgId: string, input: AiSettingsInputDto): Promise<AiTestResultDto> {
    const merged = this.merge(orgId, await this.row(orgId), input);
    const { values } = merged;
    const remote = this.remoteOf(values, merged.apiKey);
    const provider = remote ? remoteProvider(values.provider, remote) : this.engine.local;
    const started = performance.now();
    let error: string | null = null;
    try {
      await provider.readMessage(TEST_MESSAGE, values.intents);
    } catch (failure) {
      error = failure instanceof AiProviderError ? failure.message : 'The call failed unexpectedly; see the api log';
      if (!(failure instanceof AiProviderError))
        this.logger.error(
          `org ${orgId}: AI settings test failed`,
          failure instanceof Error ? failure.stack : String(failure),
        );
    }
    const latencyMs = Math.round(performance.now() - started);
    this.logger.log(
      `org ${orgId}: AI settings test with ${values.provider}: ${error ? 'failed' : 'ok'} in ${latencyMs} ms`,
    );
    return { ok: error === null, provider: values.provider, model: values.model, latencyMs, error };
  }

  /** The input applied over the saved settings (or the defaults), checked: a 422 naming each field at fault. */
  private merge(orgId: string, row: AiSettings | null, input: AiSettingsInputDto): Merged {
    const before = valuesOf(row);
    const values: AiSettingsValues = {
      provider: input.provider ?? before.provider,
      baseUrl: blankToNull(input.baseUrl) === undefined ? before.baseUrl : (blankToNull(input.baseUrl) ?? null),
      model: blankToNull(input.model) === undefined ? before.model : (blankToNull(input.model) ?? null),
      intents: input.intents ? tidyIntents(input.intents) : before.intents,
      autoTriage: input.autoTriage ?? before.autoTriage,
      dailyBudget: input.dailyBudget ?? before.dailyBudget,
      summaryAfter: input.summaryAfter ?? before.summaryAfter,
      timeoutMs: input.timeoutMs ?? before.timeoutMs,
    };
    // A saved key follows only while the calls go to the same place: never to a base URL just typed in.
    const keyMayFollow =
      values.provider === before.provider &&
      effectiveBaseUrl(values.provider, values.baseUrl) === effectiveBaseUrl(before.provider, before.baseUrl);
    const savedKey = row?.apiKeyEncrypted && keyMayFollow ? row.apiKeyEncrypted : null;
    let merged: Merged;
    if (typeof input.apiKey === 'string') merged = { values, apiKey: input.apiKey, keyChange: 'set' };
    else if (input.apiKey === null) merged = { values, apiKey: null, keyChange: 'removed' };
    else if (savedKey) merged = { values, apiKey: this.secrets.decrypt(savedKey, sealedAt(orgId)), keyChange: 'kept' };
    else merged = { values, apiKey: null, keyChange: row?.apiKeyEncrypted ? 'removed' : 'none' };
    const problems = settingsProblems(values, merged.apiKey !== null, input.apiKey);
    if (problems.length > 0) {
      throw new DomainError(
        ErrorCode.AiSettingsInvalid,
        problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
        problems,
      );
    }
    return merged;
  }

  private remoteOf(values: AiSettingsValues, apiKey: string | null): RemoteSettings | null {
    const baseUrl = effectiveBaseUrl(values.provider, values.baseUrl);
    if (!baseUrl || !values.model) return null;
    return { baseUrl, model: values.model, apiKey, timeoutMs: values.timeoutMs };
  }

  private toDto(row: AiSettings | null, callsToday: number): AiSettingsDto {
    const values = valuesOf(row);
    return {
      ...values,
      apiKey: row?.apiKeyEncrypted ? SECRET_MASK + row.apiKeyHint : null,
      callsToday,
      updatedAt: row?.updatedAt ?? null,
    };
  }
}

/** The fields whose values differ, compared as JSON (intents are lists). */
function changesBetween(
  before: AiSettingsValues,
  after: AiSettingsValues,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const keys = (Object.keys(after) as (keyof AiSettingsValues)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key]])),
    after: Object.fromEntries(keys.map((key) => [key, after[key]])),
  };
}
