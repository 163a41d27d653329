import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { isTimeZone } from '@parley/api/organizations';
import { toE164 } from '@parley/api/contacts';
import { DomainError, ErrorCode, FieldError, OrgScopedRepository, Page, pageByCreatedAt } from '@parley/api/core';
import { Template, TemplatesService } from '@parley/api/templates';
import { WabaAccountsService } from '@parley/api/waba-accounts';
import { templateParameterKeys } from '@parley/whatsapp/cloud-api';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { audienceSelect, SqlParams, UNKNOWN_NUMBER } from './audience';
import {
  AudienceEstimateDto,
  CampaignsQuery,
  CreateCampaignDto,
  EstimateCampaignDto,
  LaunchCampaignDto,
  UpdateCampaignDto,
} from './dto/campaign.dto';
import { Audience, Campaign, CampaignStatus, CONTACT_FIELDS, ParameterSource } from './entities/campaign.entity';

/** A schedule closer than this is a launch now. */
const SCHEDULE_SLACK_MS = 1_000;
/** How far ahead a campaign can be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 90 * 24 * 3600_000;

/** The statuses each action accepts, and the one it leads to. */
const TRANSITIONS = {
  pause: { from: ['running'], to: 'paused', done: 'paused' },
  resume: { from: ['paused'], to: 'running', done: 'resumed' },
  cancel: { from: ['scheduled', 'running', 'paused'], to: 'cancelled', done: 'cancelled' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus; done: string }>;
export type CampaignAction = keyof typeof TRANSITIONS;

/**
 * Campaigns from draft to launch and their controls. Launch snapshots the audience into
 * `campaign_recipients` in the same transaction that moves the campaign out of `draft`, so two
 * launches at once start one run; the worker (CampaignDispatcher) sends from there.
 */
@Injectable()
export class CampaignsService {
  private readonly campaigns: OrgScopedRepository<Campaign>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Campaign) campaigns: Repository<Campaign>,
    private readonly accounts: WabaAccountsService,
    private readonly templates: TemplatesService,
    private readonly audit: AuditService,
  ) {
    this.campaigns = new OrgScopedRepository(campaigns, 'Campaign');
  }

  list(orgId: string, query: CampaignsQuery): Promise<Page<Campaign>> {
    const qb = this.campaigns.query(orgId, 'campaign');
    if (query.status) qb.andWhere('campaign.status = :status', { status: query.status });
    return pageByCreatedAt(qb, query);
  }

  get(orgId: string, id: string): Promise<Campaign> {
    return this.campaigns.get(orgId, id);
  }

  async create(orgId: string, userId: string | null, dto: CreateCampaignDto): Promise<Campaign> {
    const fields = {
      name: dto.name,
      phoneNumberId: dto.phoneNumberId,
      templateId: dto.templateId,
      parameters: dto.parameters ?? {},
      audience: normalizedAudience(dto.audience ?? {}),
      scheduledAt: dto.scheduledAt ? new Date(dto.scheduledAt) : null,
      timezone: dto.timezone ?? null,
      replyFlowId: dto.replyFlowId ?? null,
    };
    await this.checkSetup(orgId, fields);
    return this.dataSource.transaction(async (manager) => {
      const campaign = await manager.save(manager.create(Campaign, { orgId, ...fields, createdBy: userId }));
      await this.audit.record(manager, {
        orgId,
        action: 'campaign.created',
        targetType: 'campaign',
        targetId: campaign.id,
        changes: { after: { name: campaign.name, templateId: campaign.templateId } },
      });
      return campaign;
    });
  }

  /** Drafts and scheduled campaigns (not snapshotted yet) can change; launched ones cannot. */
  async update(orgId: string, id: string, dto: UpdateCampaignDto): Promise<Campaign> {
    return this.dataSource.transaction(async (manager) => {
      const campaign = await this.locked(manager, orgId, id);
      expectStatus(campaign, ['draft', 'scheduled'], 'edited');
      const next = {
        name: dto.name ?? campaign.name,
        phoneNumberId: dto.phoneNumberId ?? campaign.phoneNumberId,
        templateId: dto.templateId ?? campaign.templateId,
        parameters: dto.parameters ?? campaign.parameters,
        audience: dto.audience ? normalizedAudience(dto.audience) : campaign.audience,
        scheduledAt:
          dto.scheduledAt === undefined ? campaign.scheduledAt : dto.scheduledAt ? new Date(dto.scheduledAt) : null,
        timezone: dto.timezone === undefined ? campaign.timezone : dto.timezone,
        replyFlowId: dto.replyFlowId === undefined ? campaign.replyFlowId : dto.replyFlowId,
      };
      await this.checkSetup(orgId, next);
      if (campaign.status === 'scheduled') {
        if (!next.scheduledAt) throw scheduleRequired();
        checkScheduleAhead(next.scheduledAt);
      }
      await manager.update(Campaign, { id }, next);
      await this.audit.record(manager, {
        orgId,
        action: 'campaign.updated',
        targetType: 'campaign',
        targetId: id,
        changes: { after: { ...dto } },
      });
      return manager.findOneByOrFail(Campaign, { id });
    });
  }

  /** Running or paused campaigns are cancelled first, so nothing is deleted mid-send. */
  async delete(orgId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.locked(manager, orgId, id);
      if (campaign.status === 'running' || campaign.status === 'paused')
        throw new DomainError(
          ErrorCode.CampaignStateConflict,
          `The campaign is ${campaign.status}: cancel it before deleting it`,
        );
      await manager.delete(Campaign, { id });
      await this.audit.record(manager, {
        orgId,
        action: 'campaign.deleted',
        targetType: 'campaign',
        targetId: id,
        changes: { before: { name: campaign.name, status: campaign.status } },
      });
    });
  }

  /** How many contacts an audience reaches, and how many of them would be skipped and why. */
  async estimate(orgId: string, dto: EstimateCampaignDto): Promise<AudienceEstimateDto> {
    const parameters = dto.parameters ?? {};
    if (dto.templateId) this.checkParameters(await this.templates.get(orgId, dto.templateId), parameters);
    else throwIfAny(sourceProblems(parameters));
    const audience = normalizedAudience(dto.audience ?? {});
    const { phones, unmatched } = await this.explicitPhones(orgId, audience);
    const params = new SqlParams();
    const select = audienceSelect(orgId, audience, parameters, phones, params);
    const rows: { reason: string | null; count: string }[] = await this.dataSource.query(
      `SELECT reason, count(*) AS count
       FROM (SELECT ${select.skipReason} AS reason FROM contacts c WHERE ${select.where}) s
       GROUP BY reason`,
      params.values,
    );
    const skippedByReason: Record<string, number> = {};
    let matched = 0;
    let eligible = 0;
    for (const row of rows) {
      matched += Number(row.count);
      if (row.reason === null) eligible += Number(row.count);
      else skippedByReason[row.reason] = Number(row.count);
    }
    if (unmatched > 0) skippedByReason[UNKNOWN_NUMBER] = unmatched;
    return { matched, eligible, skipped: matched - eligible + unmatched, skippedByReason };
  }

  /**
   * Sends the campaign now (snapshotting its audience), or at `scheduledAt`. The campaign row is
   * locked while its status changes: of two launches at once, the second finds it launched (409).
   */
  async launch(orgId: string, id: string, dto: LaunchCampaignDto): Promise<Campaign> {
    return this.dataSource.transaction(async (manager) => {
      const campaign = await this.locked(manager, orgId, id);
      expectStatus(campaign, ['draft'], 'launched');
      const template = await this.checkSetup(orgId, campaign);
      if (template.status !== 'APPROVED')
        throw DomainError.invalidField(
          ErrorCode.TemplateNotApproved,
          'templateId',
          `Template ${template.name} (${template.language}) is ${template.status}; only APPROVED templates can be sent`,
        );
      const scheduledAt = dto.scheduledAt ? new Date(dto.scheduledAt) : campaign.scheduledAt;
      if (scheduledAt && scheduledAt.getTime() > Date.now() + SCHEDULE_SLACK_MS) {
        checkScheduleAhead(scheduledAt);
        await manager.update(Campaign, { id }, { status: 'scheduled', scheduledAt });
      } else {
        await this.start(manager, campaign);
      }
      await this.audit.record(manager, {
        orgId,
        action: 'campaign.launched',
        targetType: 'campaign',
        targetId: id,
        changes: { after: { scheduledAt: scheduledAt?.toISOString() ?? null } },
      });
      return manager.findOneByOrFail(Campaign, { id });
    });
  }

  /**
   * Moves a campaign to `running` and snapshots its audience: one INSERT ... SELECT of every
   * matching contact with its parameter values and skip reason, unique per campaign and contact.
   * In the caller's transaction, with the campaign row locked.
   */
  async start(manager: EntityManager, campaign: Campaign): Promise<void> {
    const { phones, unmatched } = await this.explicitPhones(campaign.orgId, campaign.audience);
    const params = new SqlParams();
    const select = audienceSelect(campaign.orgId, campaign.audience, campaign.parameters, phones, params);
    const campaignParam = `${params.bind(campaign.id)}::uuid`;
    await manager.query(
      `INSERT INTO campaign_recipients (org_id, campaign_id, contact_id, phone, state, skip_reason, parameters)
       SELECT c.org_id, ${campaignParam}, c.id, c.phone,
              CASE WHEN s.reason IS NULL THEN 'pending' ELSE 'skipped' END::campaign_recipient_state, s.reason, s.parameters
       FROM contacts c CROSS JOIN LATERAL (SELECT ${select.skipReason} AS reason, ${select.parameterValues()} AS parameters) s
       WHERE ${select.where}
       ORDER BY c.created_at, c.id
       ON CONFLICT (campaign_id, contact_id) DO NOTHING`,
      params.values,
    );
    await manager.update(
      Campaign,
      { id: campaign.id },
      { status: 'running', startedAt: new Date(), unmatchedCount: unmatched, statusReason: null },
    );
  }

  /** Pause, resume or cancel: a cancelled campaign's recipients not sent yet are marked cancelled. */
  async control(orgId: string, id: string, action: CampaignAction): Promise<Campaign> {
    const { from, to, done } = TRANSITIONS[action];
    return this.dataSource.transaction(async (manager) => {
      const campaign = await this.locked(manager, orgId, id);
      expectStatus(campaign, from, done);
      await manager.update(
        Campaign,
        { id },
        { status: to, statusReason: null, ...(to === 'cancelled' && { completedAt: new Date() }) },
      );
      if (to === 'cancelled')
        await manager.query(
          `UPDATE campaign_recipients SET state = 'cancelled' WHERE campaign_id = $1 AND state = 'pending'`,
          [id],
        );
      await this.audit.record(manager, {
        orgId,
        action: `campaign.${done}`,
        targetType: 'campaign',
        targetId: id,
        changes: { before: { status: campaign.status }, after: { status: to } },
      });
      return manager.findOneByOrFail(Campaign, { id });
    });
  }

  /** The campaign's number and template belong together and to the org; the mapping fills the template. */
  private async checkSetup(
    orgId: string,
    campaign: Pick<
      Campaign,
      'phoneNumberId' | 'templateId' | 'parameters' | 'audience' | 'scheduledAt' | 'timezone' | 'replyFlowId'
    >,
  ): Promise<Template> {
    const number = await this.accounts.phoneNumber(orgId, campaign.phoneNumberId).catch(() => null);
    if (!number)
      throw DomainError.invalidField(
        ErrorCode.ValidationFailed,
        'phoneNumberId',
        'phoneNumberId is not a phone number of this organization',
      );
    const template = await this.templates.get(orgId, campaign.templateId).catch(() => null);
    if (!template)
      throw DomainError.invalidField(
        ErrorCode.TemplateNotFound,
        'templateId',
        'templateId is not a template of this organization',
      );
    if (template.wabaAccountId !== number.wabaAccountId)
      throw DomainError.invalidField(
        ErrorCode.ValidationFailed,
        'templateId',
        'The template belongs to another WhatsApp account than the sending number',
      );
    this.checkParameters(template, campaign.parameters);
    const problems = audienceProblems(campaign.audience);
    if (campaign.timezone && !isTimeZone(campaign.timezone))
      problems.push({ field: 'timezone', message: 'timezone must be an IANA time zone, such as Europe/Lisbon' });
    if (campaign.replyFlowId) {
      const flows: unknown[] = await this.dataSource.query('SELECT 1 FROM flows WHERE org_id = $1 AND id = $2', [
        orgId,
        campaign.replyFlowId,
      ]);
      if (flows.length === 0)
        problems.push({ field: 'replyFlowId', message: 'replyFlowId is not a flow of this organization' });
    }
    if (problems.length > 0) throw invalid(problems);
    return template;
  }

  /** Every parameter of the template is mapped, nothing else, each from a valid source. */
  private checkParameters(template: Template, parameters: Record<string, ParameterSource>): void {
    const keys = templateParameterKeys({ parameter_format: template.parameterFormat, components: template.components });
    const problems: FieldError[] = [];
    for (const { key } of keys)
      if (!(key in parameters))
        problems.push({ field: `parameters.${key}`, message: `parameters.${key} is not mapped` });
    for (const key of Object.keys(parameters))
      if (!keys.some((k) => k.key === key))
        problems.push({
          field: `parameters.${key}`,
          message: `parameters.${key}: the template has no parameter ${key}`,
        });
    // A key the template lacks is reported once, for that; the others for their source.
    const known = Object.fromEntries(Object.entries(parameters).filter(([key]) => keys.some((k) => k.key === key)));
    throwIfAny([...problems, ...sourceProblems(known)]);
  }

  /** An explicit phone list in E.164; how many of them match no contact. */
  private async explicitPhones(
    orgId: string,
    audience: Audience,
  ): Promise<{ phones: string[] | undefined; unmatched: number }> {
    if (!audience.phones) return { phones: undefined, unmatched: 0 };
    const phones = [...new Set(audience.phones.map((phone) => toE164(phone) ?? phone))];
    const [row]: { known: string }[] = await this.dataSource.query(
      'SELECT count(*) AS known FROM contacts WHERE org_id = $1 AND phone = ANY($2::text[]) AND erased_at IS NULL',
      [orgId, phones],
    );
    return { phones, unmatched: phones.length - Number(row?.known ?? 0) };
  }

  private async locked(manager: EntityManager, orgId: string, id: string): Promise<Campaign> {
    await this.campaigns.get(orgId, id); // 404 for a stranger's id, before any lock
    return manager.findOneOrFail(Campaign, { where: { orgId, id }, lock: { mode: 'pessimistic_write' } });
  }
}

function expectStatus(campaign: Campaign, allowed: readonly CampaignStatus[], action: string): void {
  if (!allowed.includes(campaign.status))
    throw new DomainError(
      ErrorCode.CampaignStateConflict,
      `A ${campaign.status} campaign cannot be ${action} (only ${allowed.join(' or ')})`,
      { status: campaign.status },
    );
}

/** Each mapping's own problem (whatever the template), as field errors. */
function sourceProblems(parameters: Record<string, unknown>): FieldError[] {
  return Object.entries(parameters).flatMap(([key, source]) => {
    const problem = sourceProblem(source);
    return problem ? [{ field: `parameters.${key}`, message: `parameters.${key}: ${problem}` }] : [];
  });
}

function throwIfAny(problems: FieldError[]): void {
  if (problems.length > 0)
    throw new DomainError(ErrorCode.TemplateParameterMismatch, problems.map((p) => p.message).join('; '), problems);
}

function sourceProblem(source: unknown): string | null {
  if (typeof source !== 'object' || source === null) return 'must be an object with a source';
  const s = source as Record<string, unknown>;
  const text = (key: string, max: number) => typeof s[key] === 'string' && (s[key] as string).length <= max;
  if (s['fallback'] !== undefined && !text('fallback', 1024)) return 'fallback must be text of at most 1024 characters';
  switch (s['source']) {
    case 'contact':
      return CONTACT_FIELDS.includes(s['field'] as never) ? null : `field must be one of ${CONTACT_FIELDS.join(', ')}`;
    case 'attribute':
      return text('key', 64) && (s['key'] as string).length > 0 ? null : 'key must name a contact attribute';
    case 'text':
      return text('value', 1024) && (s['value'] as string).trim().length > 0
        ? null
        : 'value must be non-empty text of at most 1024 characters';
    default:
      return 'source must be contact, attribute or text';
  }
}

function audienceProblems(audience: Audience): FieldError[] {
  const problems: FieldError[] = [];
  (audience.attributes ?? []).forEach((condition, i) => {
    if (condition.op !== 'exists' && condition.op !== 'not_exists' && condition.value === undefined)
      problems.push({
        field: `audience.attributes[${i}].value`,
        message: `audience.attributes[${i}].value is required for ${condition.op}`,
      });
  });
  if (audience.contactIds && audience.phones)
    problems.push({ field: 'audience.phones', message: 'Give contactIds or phones, not both' });
  return problems;
}

/** Tags as stored (trimmed); empty conditions dropped, so `{}` means everyone. */
function normalizedAudience(audience: Audience): Audience {
  const list = (values?: string[]) => {
    const cleaned = [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
    return cleaned.length > 0 ? cleaned : undefined;
  };
  const tags = { any: list(audience.tags?.any), all: list(audience.tags?.all), none: list(audience.tags?.none) };
  return {
    ...((tags.any || tags.all || tags.none) && { tags: JSON.parse(JSON.stringify(tags)) as Audience['tags'] }),
    ...(audience.attributes?.length && { attributes: audience.attributes }),
    ...(audience.contactIds && { contactIds: [...new Set(audience.contactIds)] }),
    ...(audience.phones && { phones: audience.phones }),
  };
}

function checkScheduleAhead(at: Date): void {
  if (at.getTime() - Date.now() > MAX_SCHEDULE_AHEAD_MS)
    throw DomainError.invalidField(ErrorCode.ValidationFailed, 'scheduledAt', 'scheduledAt is more than 90 days ahead');
}

function scheduleRequired(): DomainError {
  return DomainError.invalidField(
    ErrorCode.ValidationFailed,
    'scheduledAt',
    'A scheduled campaign needs scheduledAt: cancel it to send it another way',
  );
}

function invalid(problems: FieldError[]): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, problems.map((p) => p.message).join('; '), problems);
}
