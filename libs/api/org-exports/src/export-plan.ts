/**
 * What a full org export holds: one file per table, each an array of rows keyed by the table's own
 * (snake_case) column names. Every column is named here, written or omitted with a reason, so a
 * column added later is left out until someone decides; the org-exports spec fails until they do.
 */
export interface TableExport {
  /** The archive's file: `<file>.json`. */
  file: string;
  /** The table read (`t` in the query); rows are read in `id` order, in batches. */
  table: string;
  /** Its columns written, in this order. */
  columns: readonly string[];
  /** Its columns left out, each with why: the archive never carries a secret. */
  omitted?: Readonly<Record<string, string>>;
  /** Columns of the member's user (`u`, joined on `t.user_id`), written after the row's own. */
  userColumns?: readonly string[];
  /** How rows belong to the org: `org_id` (the default), or `id` for the organization itself. */
  orgColumn?: 'org_id' | 'id';
}

const SECRET = 'a secret';
const SECRET_PART = 'part of a secret';

export const EXPORT_PLAN: readonly TableExport[] = [
  {
    file: 'organization',
    table: 'organizations',
    orgColumn: 'id',
    columns: [
      'id',
      'name',
      'created_at',
      'updated_at',
      'opt_out_keywords',
      'opt_in_keywords',
      'opt_out_reply',
      'opt_in_reply',
      'timezone',
      'business_hours',
      'message_retention_days',
      'retention_applied_until',
    ],
    omitted: { retention_ran_at: "the retention job's schedule" },
  },
  {
    // Members are people with accounts of their own: who they are here, never their credentials.
    file: 'members',
    table: 'memberships',
    columns: ['user_id', 'role'],
    userColumns: ['name', 'email'],
    omitted: {
      id: 'the membership row id means nothing outside Parley; user_id names the member',
      org_id: 'the org named in the manifest',
      created_at: 'members are exported as who they are and their role',
    },
  },
  {
    file: 'invitations',
    table: 'invitations',
    columns: [
      'id',
      'org_id',
      'email',
      'role',
      'invited_by_id',
      'expires_at',
      'accepted_at',
      'accepted_by_id',
      'revoked_at',
      'created_at',
    ],
    omitted: { token_hash: SECRET },
  },
  {
    file: 'api_keys',
    table: 'api_keys',
    columns: ['id', 'org_id', 'name', 'prefix', 'scopes', 'created_by_id', 'last_used_at', 'revoked_at', 'created_at'],
    omitted: { key_hash: SECRET },
  },
  {
    file: 'waba_accounts',
    table: 'waba_accounts',
    columns: [
      'id',
      'org_id',
      'name',
      'waba_id',
      'app_id',
      'graph_api_version',
      'status',
      'messaging_limit_tier',
      'token_status',
      'token_checked_at',
      'token_expires_at',
      'token_problem',
      'created_at',
      'updated_at',
    ],
    omitted: {
      app_secret_encrypted: SECRET,
      access_token_encrypted: SECRET,
      access_token_hint: SECRET_PART,
      verify_token: SECRET,
      token_check_due_at: "the worker's schedule",
    },
  },
  {
    file: 'phone_numbers',
    table: 'phone_numbers',
    columns: [
      'id',
      'org_id',
      'waba_account_id',
      'phone_number_id',
      'display_phone_number',
      'verified_name',
      'quality_rating',
      'throughput_mps',
      'created_at',
      'updated_at',
    ],
  },
  {
    file: 'contacts',
    table: 'contacts',
    columns: [
      'id',
      'org_id',
      'created_at',
      'phone',
      'wa_id',
      'name',
      'profile_name',
      'tags',
      'attributes',
      'opt_in_status',
      'opt_in_source',
      'opt_in_changed_at',
      'last_inbound_at',
      'updated_at',
      'erased_at',
    ],
  },
  {
    file: 'conversations',
    table: 'conversations',
    columns: [
      'id',
      'org_id',
      'created_at',
      'contact_id',
      'phone_number_id',
      'status',
      'assignee_id',
      'unread_count',
      'last_message_at',
      'last_message_preview',
      'last_inbound_at',
      'resolved_at',
      'updated_at',
      'bot_active',
      'ai',
      'first_inbound_at',
      'first_response_at',
      'first_responder_id',
    ],
  },
  {
    file: 'messages',
    table: 'messages',
    columns: [
      'id',
      'org_id',
      'created_at',
      'conversation_id',
      'contact_id',
      'phone_number_id',
      'direction',
      'type',
      'status',
      'wa_message_id',
      'body',
      'payload',
      'context_wa_message_id',
      'context_message_id',
      'reactions',
      'error_code',
      'error_title',
      'occurred_at',
      'sent_at',
      'delivered_at',
      'read_at',
      'media_id',
      'sender_id',
      'idempotency_key',
      'campaign_id',
      'ai',
    ],
    omitted: {
      request_hash: "the send request's fingerprint, for idempotency",
      send_attempts: "the sender's retry state",
      sending_at: "the sender's lease",
    },
  },
  {
    file: 'message_status_events',
    table: 'message_status_events',
    columns: [
      'id',
      'org_id',
      'phone_number_id',
      'wa_message_id',
      'status',
      'occurred_at',
      'pricing',
      'errors',
      'created_at',
    ],
  },
  {
    file: 'notes',
    table: 'notes',
    columns: ['id', 'org_id', 'created_at', 'conversation_id', 'author_id', 'body'],
  },
  {
    // The files' details; their bytes stay in storage (download each with GET .../media/:id/content).
    file: 'media',
    table: 'media',
    columns: [
      'id',
      'org_id',
      'created_at',
      'kind',
      'mime_type',
      'size_bytes',
      'sha256',
      'filename',
      'status',
      'error',
      'wa_media_id',
      'phone_number_id',
      'wa_uploaded_at',
      'updated_at',
    ],
    omitted: { storage_key: 'where the bytes are in our storage' },
  },
  {
    file: 'templates',
    table: 'templates',
    columns: [
      'id',
      'org_id',
      'created_at',
      'waba_account_id',
      'meta_template_id',
      'name',
      'language',
      'category',
      'status',
      'parameter_format',
      'components',
      'rejected_reason',
      'quality_score',
      'updated_at',
    ],
  },
  {
    file: 'quick_replies',
    table: 'quick_replies',
    columns: ['id', 'org_id', 'created_at', 'shortcut', 'text', 'created_by', 'updated_at'],
  },
  {
    file: 'scheduled_messages',
    table: 'scheduled_messages',
    columns: [
      'id',
      'org_id',
      'created_at',
      'contact_id',
      'phone_number_id',
      'template',
      'scheduled_at',
      'status',
      'message_id',
      'error_code',
      'error_message',
      'created_by',
      'updated_at',
    ],
  },
  {
    file: 'campaigns',
    table: 'campaigns',
    columns: [
      'id',
      'org_id',
      'created_at',
      'name',
      'status',
      'status_reason',
      'phone_number_id',
      'template_id',
      'parameters',
      'audience',
      'scheduled_at',
      'timezone',
      'started_at',
      'completed_at',
      'unmatched_count',
      'created_by',
      'updated_at',
      'reply_flow_id',
    ],
  },
  {
    file: 'campaign_recipients',
    table: 'campaign_recipients',
    columns: ['id', 'org_id', 'campaign_id', 'contact_id', 'phone', 'state', 'skip_reason', 'parameters', 'message_id'],
  },
  {
    file: 'automation_rules',
    table: 'automation_rules',
    columns: [
      'id',
      'org_id',
      'created_at',
      'name',
      'enabled',
      'position',
      'trigger',
      'conditions',
      'actions',
      'stop_after_match',
      'cooldown_seconds',
      'preset',
      'round_robin_cursor',
      'updated_at',
    ],
  },
  {
    file: 'automation_runs',
    table: 'automation_runs',
    columns: [
      'id',
      'org_id',
      'rule_id',
      'trigger',
      'message_id',
      'conversation_id',
      'contact_id',
      'outcome',
      'results',
      'created_at',
    ],
  },
  {
    file: 'flows',
    table: 'flows',
    columns: ['id', 'org_id', 'created_at', 'name', 'enabled', 'steps', 'exit_rules', 'updated_at'],
  },
  {
    file: 'flow_enrollments',
    table: 'flow_enrollments',
    columns: [
      'id',
      'org_id',
      'created_at',
      'flow_id',
      'contact_id',
      'phone_number_id',
      'source',
      'status',
      'step',
      'seq',
      'next_run_at',
      'awaiting_reply',
      'exit_reason',
      'updated_at',
    ],
  },
  {
    file: 'ai_settings',
    table: 'ai_settings',
    columns: [
      'id',
      'org_id',
      'created_at',
      'provider',
      'base_url',
      'model',
      'intents',
      'auto_triage',
      'daily_budget',
      'summary_after',
      'timeout_ms',
      'updated_at',
    ],
    omitted: { api_key_encrypted: SECRET, api_key_hint: SECRET_PART },
  },
  {
    file: 'webhook_subscriptions',
    table: 'webhook_subscriptions',
    columns: [
      'id',
      'org_id',
      'created_at',
      'url',
      'events',
      'description',
      'enabled',
      'disabled_reason',
      'failure_streak',
      'created_by_id',
      'updated_at',
    ],
    omitted: { secret_sealed: SECRET },
  },
  {
    file: 'webhook_deliveries',
    table: 'webhook_deliveries',
    columns: [
      'id',
      'org_id',
      'created_at',
      'subscription_id',
      'event_id',
      'event_type',
      'payload',
      'status',
      'attempts',
      'next_attempt_at',
      'last_status_code',
      'last_error',
      'last_latency_ms',
      'delivered_at',
    ],
  },
  {
    file: 'webhook_delivery_attempts',
    table: 'webhook_delivery_attempts',
    columns: ['id', 'org_id', 'created_at', 'delivery_id', 'attempt', 'status_code', 'error', 'latency_ms'],
  },
  {
    file: 'webhook_events',
    table: 'webhook_events',
    columns: [
      'id',
      'org_id',
      'waba_account_id',
      'status',
      'payload',
      'attempts',
      'last_error',
      'received_at',
      'processed_at',
    ],
  },
  {
    file: 'audit_logs',
    table: 'audit_logs',
    columns: [
      'id',
      'org_id',
      'actor_type',
      'actor_id',
      'actor_label',
      'action',
      'target_type',
      'target_id',
      'changes',
      'ip',
      'request_id',
      'created_at',
    ],
  },
];

/**
 * Org-owned tables (with an `org_id`) left out whole. Not org-owned, so never read: users (members
 * cover them), their sessions and refresh tokens, and idempotency_keys.
 */
export const TABLES_NOT_EXPORTED: Readonly<Record<string, string>> = {
  org_exports: 'the exports themselves',
  analytics_stale_hours: "the analytics rollup's work queue",
  message_stats_daily: 'daily counts summed from messages, which are exported',
};

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/**
 * The query reading one batch of a table: rows of org `$1` after key `$2` (when `after`), at most
 * `$3`, in key order, each as its JSON text (PostgreSQL writes it: nothing parsed or re-serialized here).
 */
export function batchQuery(spec: TableExport, after: boolean): string {
  const fields = [
    ...spec.columns.map((column) => `t.${identifier(column)}`),
    ...(spec.userColumns ?? []).map((column) => `u.${identifier(column)}`),
  ];
  const join = spec.userColumns ? ` JOIN "users" u ON u."id" = t."user_id"` : '';
  return (
    `SELECT t."id"::text AS key, row_to_json(r)::text AS row FROM ${identifier(spec.table)} t${join} ` +
    `CROSS JOIN LATERAL (SELECT ${fields.join(', ')}) r ` +
    `WHERE t.${identifier(spec.orgColumn ?? 'org_id')} = $1${after ? ' AND t."id" > $2' : ''} ` +
    `ORDER BY t."id" LIMIT ${after ? '$3' : '$2'}`
  );
}

/** Columns of `table` the plan names (written or omitted); the rest are columns nobody has decided on. */
export function plannedColumns(table: string): Set<string> {
  const spec = EXPORT_PLAN.find((candidate) => candidate.table === table);
  return new Set(spec ? [...spec.columns, ...Object.keys(spec.omitted ?? {})] : []);
}

/** `table.column` of every credential (or part of one) the plan leaves out. */
export function secretColumns(): string[] {
  return Object.entries(omittedColumns())
    .filter(([, reason]) => reason === SECRET || reason === SECRET_PART)
    .map(([column]) => column);
}

/** `{ "waba_accounts.verify_token": "a secret", ... }`: what the manifest says was left out. */
export function omittedColumns(): Record<string, string> {
  return Object.fromEntries(
    EXPORT_PLAN.flatMap((spec) =>
      Object.entries(spec.omitted ?? {}).map(([column, reason]) => [`${spec.table}.${column}`, reason]),
    ),
  );
}
