import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  DomainError,
  ErrorCode,
  FieldError,
  isUniqueViolation,
  JsonObject,
  OrgScopedRepository,
  Page,
  pageByCreatedAt,
  returning,
} from '@parley/api/core';
import { asGraphApiFailure, GraphApiClients, WabaAccountsService } from '@parley/api/waba-accounts';
import {
  GraphApiError,
  previewTemplate,
  TemplateCategoryEvent,
  TemplateDefinition,
  templateDefinitionProblems,
  TemplateInfo,
  templateParameterKeys,
  templatePreviewText,
  TemplateQualityEvent,
  TemplateStatusEvent,
} from '@parley/whatsapp/cloud-api';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  CreateTemplateDto,
  SyncTemplatesResultDto,
  TemplatePreviewDto,
  TemplatesQuery,
  UpdateTemplateDto,
} from './dto/template.dto';
import { DRAFT_STATUS, Template } from './entities/template.entity';
import { templateExists, templateInvalid, templateNotEditable } from './templates.errors';

export type TemplateEvent = TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent;

/** A template unknown here is looked up at Meta at most once a minute per name (sends of unknown names must not hammer Meta). */
const MISS_LOOKUP_INTERVAL_MS = 60_000;

/** Meta's status events that mean something else in the template's own status. */
const STATUS_OF_EVENT: Record<string, string> = { REINSTATED: 'APPROVED' };

/** The statuses in which Meta lets a submitted template be edited (CLOUD-API.md §5.6). */
const EDITABLE_AT_META = ['APPROVED', 'REJECTED', 'PAUSED'];

/** What a template is made of: what an edit may change and Meta's rules check. */
type TemplateContent = Pick<Template, 'name' | 'language' | 'category' | 'parameterFormat' | 'components'>;

const contentOf = (t: TemplateContent): TemplateContent => ({
  name: t.name,
  language: t.language,
  category: t.category,
  parameterFormat: t.parameterFormat,
  components: t.components,
});

export const definitionOf = (t: Pick<Template, 'parameterFormat' | 'components'>): TemplateDefinition => ({
  parameter_format: t.parameterFormat,
  components: t.components,
});

/** Meta's rules, with the API's field names. */
function assertValid(content: TemplateContent): void {
  const problems = templateDefinitionProblems({
    ...definitionOf(content),
    name: content.name,
    language: content.language,
    category: content.category,
  }).map((p) => (p.field === 'parameter_format' ? { ...p, field: 'parameterFormat' } : p));
  if (problems.length > 0) throw templateInvalid(problems);
}

/** The fields that differ, for the audit log (components compared by value). */
function changesOf<T extends Record<string, unknown>>(before: T, after: T) {
  const keys = Object.keys(after).filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
  if (keys.length === 0) return undefined;
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key]])),
    after: Object.fromEntries(keys.map((key) => [key, after[key]])),
  };
}

/** Meta answers a delete of a template it no longer has with an error; here that is success. */
function goneAtMeta(error: unknown): boolean {
  return (
    error instanceof GraphApiError &&
    (error.httpStatus === 404 || (error.code === 100 && /not found|does not exist/i.test(error.message)))
  );
}

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

  /** A local draft: checked against Meta's rules, submitted later. */
  async create(orgId: string, input: CreateTemplateDto): Promise<Template> {
    const account = await this.accounts.get(orgId, input.wabaAccountId);
    const content: TemplateContent = {
      name: input.name,
      language: input.language,
      category: input.category.toUpperCase(),
      parameterFormat: input.parameterFormat ?? 'POSITIONAL',
      components: input.components as JsonObject[],
    };
    assertValid(content);
    return uniqueNameAndLanguage(content, () =>
      this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(Template, {
            ...content,
            orgId,
            wabaAccountId: account.id,
            metaTemplateId: null,
            status: DRAFT_STATUS,
            rejectedReason: null,
            qualityScore: null,
          }),
        );
        await this.audit.record(manager, {
          orgId,
          action: 'template.created',
          targetType: 'template',
          targetId: saved.id,
          changes: { after: { wabaAccountId: account.id, ...content, status: DRAFT_STATUS } },
        });
        return saved;
      }),
    );
  }

  /**
   * A draft changes here only. A template at Meta (APPROVED, REJECTED or PAUSED) is edited at Meta
   * (its components, and its category unless APPROVED) and goes back to review as PENDING. The row
   * stays locked across Meta's call, so the review webhook that may follow at once waits for this
   * transaction and lands after it.
   */
  async update(orgId: string, id: string, input: UpdateTemplateDto): Promise<Template> {
    return this.dataSource.transaction(async (manager) => {
      const templates = this.templates.in(manager);
      const template = await templates.get(orgId, id, { lock: 'pessimistic_write' });
      const before = contentOf(template);
      const after: TemplateContent = {
        name: input.name ?? template.name,
        language: input.language ?? template.language,
        category: input.category?.toUpperCase() ?? template.category,
        parameterFormat: input.parameterFormat ?? template.parameterFormat,
        components: (input.components as JsonObject[] | undefined) ?? template.components,
      };
      if (template.status === DRAFT_STATUS) {
        const wabaAccountId = input.wabaAccountId
          ? (await this.accounts.get(orgId, input.wabaAccountId)).id
          : template.wabaAccountId;
        assertValid(after);
        const changes = changesOf({ wabaAccountId: template.wabaAccountId, ...before }, { wabaAccountId, ...after });
        if (!changes) return template;
        await uniqueNameAndLanguage(after, () => manager.save(Object.assign(template, after, { wabaAccountId })));
        await this.audit.record(manager, {
          orgId,
          action: 'template.updated',
          targetType: 'template',
          targetId: template.id,
          changes,
        });
        return templates.get(orgId, id);
      }

      if (!EDITABLE_AT_META.includes(template.status) || !template.metaTemplateId)
        throw templateNotEditable(
          template,
          template.status === 'PENDING'
            ? 'Meta is reviewing it; edit it once the review is done'
            : 'Meta lets you edit a template only when it is APPROVED, REJECTED or PAUSED',
        );
      const fixed = (['wabaAccountId', 'name', 'language', 'parameterFormat'] as const).filter(
        (field) => input[field] !== undefined && input[field] !== template[field],
      );
      if (fixed.length > 0)
        throw templateNotEditable(
          template,
          `${fixed.join(', ')} can't change once a template is at Meta; create a new template instead`,
          fixed,
        );
      if (template.status === 'APPROVED' && after.category !== template.category)
        throw templateNotEditable(template, 'Meta keeps the category of an approved template', ['category']);
      assertValid(after);
      const changes = changesOf(before, after);
      if (!changes) return template;
      try {
        const client = await this.clients.forAccount(orgId, template.wabaAccountId);
        await client.editTemplate(template.metaTemplateId, {
          components: after.components,
          ...(after.category !== template.category && { category: after.category }),
        });
      } catch (error) {
        throw asGraphApiFailure(error);
      }
      const status = template.status;
      await manager.save(
        Object.assign(template, {
          category: after.category,
          components: after.components,
          status: 'PENDING',
          rejectedReason: null,
        }),
      );
      await this.audit.record(manager, {
        orgId,
        action: 'template.updated',
        targetType: 'template',
        targetId: template.id,
        changes: {
          before: { ...changes.before, status },
          after: { ...changes.after, status: 'PENDING' },
        },
      });
      return templates.get(orgId, id);
    });
  }

  /** Deletes the template here, and at Meta when it was submitted (that language only); gone at Meta already is fine. */
  async delete(orgId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const template = await this.templates.in(manager).get(orgId, id, { lock: 'pessimistic_write' });
      if (template.metaTemplateId) {
        try {
          const account = await this.accounts.get(orgId, template.wabaAccountId);
          const client = await this.clients.forAccount(orgId, account.id);
          await client.deleteTemplate(account.wabaId, { name: template.name, id: template.metaTemplateId });
        } catch (error) {
          if (!goneAtMeta(error)) throw asGraphApiFailure(error);
        }
      }
      await manager.delete(Template, { id: template.id, orgId });
      await this.audit.record(manager, {
        orgId,
        action: 'template.deleted',
        targetType: 'template',
        targetId: template.id,
        changes: {
          before: { name: template.name, language: template.language, status: template.status },
        },
      });
    });
  }

  /**
   * Sends a draft to Meta for review: Meta's id and status (PENDING) are stored, and its review
   * arrives later by webhook (`applyEvent`). The row stays locked across Meta's call for the same
   * reason as in `update`.
   */
  async submit(orgId: string, id: string): Promise<Template> {
    return this.dataSource.transaction(async (manager) => {
      const templates = this.templates.in(manager);
      const template = await templates.get(orgId, id, { lock: 'pessimistic_write' });
      if (template.status !== DRAFT_STATUS)
        throw templateNotEditable(template, 'it was submitted to Meta already; edit it instead');
      assertValid(template);
      let created: { id: string; status: string; category: string };
      try {
        const account = await this.accounts.get(orgId, template.wabaAccountId);
        const client = await this.clients.forAccount(orgId, account.id);
        created = await client.createTemplate(account.wabaId, {
          name: template.name,
          language: template.language,
          category: template.category,
          parameter_format: template.parameterFormat,
          components: template.components,
        });
      } catch (error) {
        throw asGraphApiFailure(error);
      }
      const submitted = {
        metaTemplateId: String(created.id),
        status: String(created.status || 'PENDING').toUpperCase(),
        category: String(created.category || template.category).toUpperCase(),
      };
      await manager.update(Template, { id: template.id, orgId }, submitted);
      await this.audit.record(manager, {
        orgId,
        action: 'template.submitted',
        targetType: 'template',
        targetId: template.id,
        changes: { before: { status: DRAFT_STATUS }, after: submitted },
      });
      return templates.get(orgId, id);
    });
  }

  /**
   * The template as the customer would see it with `parameters` in place (keyed as
   * `templateParameterKeys` says; those left out show the template's samples). Unknown keys are a
   * 422 naming them.
   */
  async preview(orgId: string, id: string, parameters: Record<string, unknown> = {}): Promise<TemplatePreviewDto> {
    const definition = definitionOf(await this.get(orgId, id));
    const keys = templateParameterKeys(definition).map((k) => k.key);
    const problems: FieldError[] = Object.entries(parameters).flatMap(([key, value]): FieldError[] => {
      const field = `parameters.${key}`;
      if (!keys.includes(key))
        return [
          {
            field,
            message: `${field}: the template has no such parameter; it takes ${keys.length > 0 ? keys.join(', ') : 'none'}`,
          },
        ];
      return typeof value === 'string' ? [] : [{ field, message: `${field} must be a string` }];
    });
    if (problems.length > 0)
      throw new DomainError(ErrorCode.TemplateParameterMismatch, problems.map((p) => p.message).join('; '), problems);
    const preview = previewTemplate(definition, parameters as Record<string, string>);
    return { ...preview, text: templatePreviewText(preview) };
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

/** Runs `work`, turning the (account, name, language) unique violation into a 409. */
async function uniqueNameAndLanguage<T>(content: TemplateContent, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw templateExists(content.name, content.language);
    throw error;
  }
}
