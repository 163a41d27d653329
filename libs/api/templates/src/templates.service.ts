import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { OrgScopedRepository, Page, pageByCreatedAt, returning } from '@parley/api/core';
import { asGraphApiFailure, GraphApiClients, WabaAccountsService } from '@parley/api/waba-accounts';
import type {
  TemplateCategoryEvent,
  TemplateInfo,
  TemplateQualityEvent,
  TemplateStatusEvent,
} from '@parley/whatsapp/cloud-api';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { SyncTemplatesResultDto, TemplatesQuery } from './dto/template.dto';
import { Template } from './entities/template.entity';

export type TemplateEvent = TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent;

/** A template unknown here is looked up at Meta at most once a minute per name (sends of unknown names must not hammer Meta). */
const MISS_LOOKUP_INTERVAL_MS = 60_000;

/** Meta's status events that mean something else in the template's own status. */
const STATUS_OF_EVENT: Record<string, string> = { REINSTATED: 'APPROVED' };

@Injectable()
export class TemplatesService {
  private readonly templates: OrgScopedRepository<Template>;
  /** When an unknown name was last looked up at Meta, by account and name (forgotten in bulk past 10,000 names). */
  private readonly missLookedUpAt = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Template) templates: Repository<Template>,
    private readonly accounts: WabaAccountsService,
    private readonly clients: GraphApiClients,
    private readonly audit: AuditService,
  ) {
    this.templates = new OrgScopedRepository(templates, 'Template');
  }

  list(orgId: string, query: TemplatesQuery): Promise<Page<Template>> {
    const qb = this.templates.query(orgId, 'template');
    if (query.wabaAccountId) qb.andWhere('template.wabaAccountId = :account', { account: query.wabaAccountId });
    if (query.status) qb.andWhere('template.status = :status', { status: query.status });
    if (query.name) {
      qb.andWhere('template.name LIKE :name', { name: `${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    }
    return pageByCreatedAt(qb, query);
  }

  get(orgId: string, id: string): Promise<Template> {
    return this.templates.get(orgId, id);
  }

  /**
   * Makes the account's templates here what Meta holds: every template (all pages, media headers
   * included) upserted by name and language, and those gone at Meta removed. Local drafts stay.
   */
  async sync(orgId: string, wabaAccountId: string): Promise<SyncTemplatesResultDto> {
    const account = await this.accounts.get(orgId, wabaAccountId);
    let remote: TemplateInfo[];
    try {
      const client = await this.clients.forAccount(orgId, account.id);
      remote = await client.listAllTemplates(account.wabaId);
    } catch (error) {
      throw asGraphApiFailure(error);
    }
    return this.dataSource.transaction(async (manager) => {
      const synced = await this.upsert(manager, orgId, account.id, remote);
      const removed = await returning(
        manager,
        `DELETE FROM templates WHERE waba_account_id = $1 AND meta_template_id IS NOT NULL AND NOT (meta_template_id = ANY($2))
         RETURNING id`,
        [account.id, remote.map((t) => String(t.id))],
      );
      const result = { synced, removed: removed.length };
      await this.audit.record(manager, {
        orgId,
        action: 'templates.synced',
        targetType: 'waba_account',
        targetId: account.id,
        changes: { after: result },
      });
      return result;
    });
  }

  /**
   * The template a send names, on the sending number's account. One unknown here may have been
   * created in Meta's own tools: it is looked up at Meta once (at most once a minute per name)
   * before giving up.
   */
  async findForSend(orgId: string, wabaAccountId: string, name: string, language: string): Promise<Template | null> {
    const find = () => this.templates.findOne(orgId, { wabaAccountId, name, language });
    const found = await find();
    if (found) return found;
    const key = `${wabaAccountId}:${name}`;
    if (Date.now() - (this.missLookedUpAt.get(key) ?? 0) < MISS_LOOKUP_INTERVAL_MS) return null;
    if (this.missLookedUpAt.size >= 10_000) this.missLookedUpAt.clear();
    this.missLookedUpAt.set(key, Date.now());
    try {
      await this.refresh(orgId, wabaAccountId, { name, language });
    } catch (error) {
      throw asGraphApiFailure(error);
    }
    return find();
  }

  /**
   * Applies one of Meta's template webhooks (status, quality, category) in the caller's
   * transaction. False when the template is not known here yet: fetch it with `refresh`. Matched by
   * name and language (unique per account): Meta sends the template id as a JSON number, which
   * JavaScript cannot always hold exactly.
   */
  async applyEvent(manager: EntityManager, wabaAccountId: string, event: TemplateEvent): Promise<boolean> {
    const changes =
      event.kind === 'template_status'
        ? {
            status: STATUS_OF_EVENT[event.event] ?? event.event,
            rejected_reason: event.event === 'REJECTED' ? (event.rejection?.reason ?? event.reason) : null,
            ...(event.category && { category: event.category }),
          }
        : event.kind === 'template_quality'
          ? { quality_score: event.newScore }
          : { category: event.newCategory };
    const columns = Object.keys(changes);
    const rows = await returning(
      manager,
      `UPDATE templates SET ${columns.map((column, i) => `${column} = $${i + 4}`).join(', ')}, updated_at = now()
       WHERE waba_account_id = $1 AND name = $2 AND language = $3
       RETURNING id`,
      [wabaAccountId, event.name, event.language, ...Object.values(changes)],
    );
    return rows.length > 0;
  }

  /** Fetches one template from Meta and stores it (a webhook named a template we had not synced). */
  async refresh(orgId: string, wabaAccountId: string, template: { name: string; language: string }): Promise<void> {
    const account = await this.accounts.get(orgId, wabaAccountId);
    const client = await this.clients.forAccount(orgId, wabaAccountId);
    const found = (await client.listTemplates(account.wabaId, { name: template.name })).data.filter(
      (t) => t.language === template.language,
    );
    await this.upsert(this.dataSource.manager, orgId, wabaAccountId, found);
  }

  /** One set-based statement for any number of Meta's templates. */
  private async upsert(
    manager: EntityManager,
    orgId: string,
    wabaAccountId: string,
    infos: TemplateInfo[],
  ): Promise<number> {
    if (infos.length === 0) return 0;
    const rows = infos.map((t) => ({
      id: String(t.id),
      name: t.name,
      language: t.language,
      category: String(t.category).toUpperCase(),
      status: String(t.status).toUpperCase(),
      parameter_format: t.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
      components: Array.isArray(t.components) ? t.components : [],
      rejected_reason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
      quality_score: t.quality_score?.score ?? null,
    }));
    const stored: unknown[] = await manager.query(
      `INSERT INTO templates (org_id, waba_account_id, meta_template_id, name, language, category, status, parameter_format,
                              components, rejected_reason, quality_score)
       SELECT $1, $2, t.id, t.name, t.language, t.category, t.status, t.parameter_format, t.components, t.rejected_reason, t.quality_score
       FROM jsonb_to_recordset($3::jsonb) AS t(id text, name text, language text, category text, status text,
                                              parameter_format text, components jsonb, rejected_reason text, quality_score text)
       ON CONFLICT (waba_account_id, name, language) DO UPDATE SET
         meta_template_id = EXCLUDED.meta_template_id,
         category = EXCLUDED.category,
         status = EXCLUDED.status,
         parameter_format = EXCLUDED.parameter_format,
         components = EXCLUDED.components,
         rejected_reason = EXCLUDED.rejected_reason,
         quality_score = COALESCE(EXCLUDED.quality_score, templates.quality_score),
         updated_at = now()
       RETURNING id`,
      [orgId, wabaAccountId, JSON.stringify(rows)],
    );
    return stored.length;
  }
}
