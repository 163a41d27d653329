import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

/** Meta's Graph API hosts: a platform pointed at them has no sandbox. */
const META_GRAPH_HOSTS = /(^|\.)facebook\.com$/;

/** Local-only defaults; production refuses to start while these are in use. */
export const DEV_JWT_SECRET = 'parley-dev-only-jwt-secret-change-me-0123456789';
export const DEV_ENCRYPTION_KEY = Buffer.alloc(32, 'parley-dev-only-encryption-key!!').toString('base64');

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value !== '' ? Number(value) : value);

/**
 * Every setting Parley reads, validated once at startup by each entry point.
 * Environment variables use the property name; defaults make a local `npm start` work.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Where Meta (and browsers) reach this API; used to build each WABA account's webhook URL. */
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL = 'http://localhost:3000';

  /** Where the console is served; used in invitation links. */
  @IsUrl({ require_tld: false, require_protocol: true })
  CONSOLE_URL = 'http://localhost:4200';

  /**
   * The built console (`dist/apps/console/browser`): when set, the api serves it at `/`, so one
   * process and origin carry both. Unset, the console is served on its own (CONSOLE_URL).
   */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/parley';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Run pending migrations at boot (under an advisory lock, so several processes may start together). */
  @Transform(toBool)
  @IsBoolean()
  DATABASE_MIGRATE_ON_BOOT = true;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key (queues, rate limits), so several deployments can share one Redis. */
  @Matches(/^[a-zA-Z0-9:_-]{1,64}$/)
  REDIS_PREFIX = 'parley';

  @IsString()
  @MinLength(32)
  JWT_SECRET = DEV_JWT_SECRET;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(3_600)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 86_400;

  /** Base64 of 32 random bytes: the AES-256-GCM key for secrets stored at rest. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'ENCRYPTION_KEY must be 32 bytes in base64' })
  ENCRYPTION_KEY = DEV_ENCRYPTION_KEY;

  /** Requests each signed-in user may make per RATE_LIMIT_WINDOW_SECONDS, across every api process (then 429). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_USER_REQUESTS = 1_200;

  /** Requests each API key may make per RATE_LIMIT_WINDOW_SECONDS, across every api process (then 429). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_API_KEY_REQUESTS = 6_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Failed logins allowed per email and client address within the window before 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_WINDOW_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  INVITATION_TTL_HOURS = 7 * 24;

  /** Graph API version given to new WABA accounts when none is chosen. */
  @Matches(/^v\d+\.\d+$/)
  GRAPH_API_VERSION = 'v23.0';

  /** How often the worker re-queues webhook events Redis never got, and how old they must be. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_SWEEP_INTERVAL_MS = 15_000;

  /** How often the worker looks for idle conversations (automation) and drip-flow steps whose wake-up was lost. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  AUTOMATION_SCAN_INTERVAL_MS = 30_000;

  /**
   * Networks partner webhooks may reach although private, loopback or link-local (SSRF guard):
   * CIDRs, comma-separated, such as `127.0.0.0/8,::1/128` for a webhook receiver on this machine.
   */
  @IsString()
  PARTNER_WEBHOOKS_ALLOWED_NETWORKS = '';

  /** How often the worker looks for partner webhook deliveries that are due. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  PARTNER_WEBHOOKS_POLL_MS = 500;

  /** The first retry's wait; each next one doubles it (jittered, at most 2 hours). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  PARTNER_WEBHOOKS_RETRY_BASE_MS = 30_000;

  /** Tries per delivery before it is marked failed (30 s base: the last about 4 hours after the first). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PARTNER_WEBHOOKS_MAX_ATTEMPTS = 10;

  /** Failed tries in a row, across deliveries, after which a subscription is disabled (and audited). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PARTNER_WEBHOOKS_DISABLE_AFTER_FAILURES = 50;

  /** How long a partner's server has to answer. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  PARTNER_WEBHOOKS_TIMEOUT_MS = 10_000;

  /**
   * The longest an org's cached automation rules or AI settings may be used after a change whose
   * news Redis lost (news normally arrives at once; see OrgConfigCache).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  ORG_CONFIG_CACHE_TTL_MS = 60_000;

  /** How often the worker looks for org exports to make and ready ones past their expiry. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  ORG_EXPORTS_POLL_MS = 2_000;

  /** How long a finished org export can be downloaded before its archive is deleted. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  ORG_EXPORTS_TTL_DAYS = 7;

  /** How often the worker counts the days whose messages changed into the analytics rollup. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  ANALYTICS_ROLLUP_INTERVAL_MS = 10_000;

  /**
   * How long a change waits before the rollup recounts its day. Reports read a day with changes
   * waiting from the messages, so they stay exact; the wait makes a day that keeps changing (today,
   * in a busy org) cost one recount per wait instead of one per round.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  ANALYTICS_ROLLUP_DELAY_MS = 300_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  WEBHOOK_SWEEP_AFTER_MS = 10_000;

  /** How often the worker looks for WABA access tokens due a check against Meta. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  TOKEN_HEALTH_POLL_MS = 60_000;

  /** How long after a passed check a token is checked again (a failed check is retried within the hour). */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  TOKEN_HEALTH_CHECK_EVERY_MS = 24 * 3_600_000;

  /** How often the worker looks for orgs due their nightly retention pass (02:00-06:00 in their time zone). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  RETENTION_POLL_MS = 15 * 60_000;

  /** A token that expires within this many days is flagged `expiring`, with a banner in the console. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TOKEN_EXPIRY_WARNING_DAYS = 7;

  /** Where the Graph API is: the bundled sandbox locally, `https://graph.facebook.com` in production. */
  @IsUrl({ require_tld: false, require_protocol: true })
  GRAPH_API_BASE_URL = 'http://localhost:4100';

  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(120_000)
  GRAPH_API_TIMEOUT_MS = 15_000;

  /**
   * The WhatsApp Cloud API sandbox as browsers reach it (its chat page), when GRAPH_API_BASE_URL is
   * the sandbox as the api reaches it. Unset: GRAPH_API_BASE_URL; `off` hides the sandbox. Ignored
   * when GRAPH_API_BASE_URL is Meta's: accounts made in a sandbox would be called at Meta.
   */
  @IsOptional()
  @ValidateIf((config: AppConfig) => config.WHATSAPP_SANDBOX_URL !== 'off')
  @IsUrl({ require_tld: false, require_protocol: true })
  WHATSAPP_SANDBOX_URL?: string;

  /** The sandbox's SANDBOX_CONTROL_TOKEN, when it requires one for its `/_sandbox` API. */
  @IsOptional()
  @IsString()
  WHATSAPP_SANDBOX_CONTROL_TOKEN?: string;

  /** Moving a media file (up to 100 MB) to or from Meta takes longer than an ordinary call. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(900_000)
  GRAPH_API_MEDIA_TIMEOUT_MS = 120_000;

  /** Tries per outbound message for retryable Meta errors (130429, 131000, 5xx, network), with jittered exponential backoff from SEND_RETRY_BASE_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  SEND_MAX_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  SEND_RETRY_BASE_MS = 2_000;

  /**
   * How long a send whose outcome is unknown (the worker died or the call timed out while talking
   * to Meta) waits for Meta's status webhook before it is tried again.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  SEND_LEASE_MS = 120_000;

  /** How often the worker re-queues outbound messages Redis never got and sends whose outcome is unknown, and how old they must be. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SEND_SWEEP_INTERVAL_MS = 15_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SEND_SWEEP_AFTER_MS = 10_000;

  /** Tries of an AI auto-reply whose provider fails (timeout, 5xx, a malformed answer), with exponential backoff from AI_RETRY_BASE_MS; after the last it sends its fallback text and hands off. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  AI_MAX_ATTEMPTS = 3;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  AI_RETRY_BASE_MS = 2_000;

  /** How often the worker queues again the triage of customer messages Redis never got, and how old they must be (up to an hour). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  AI_SWEEP_INTERVAL_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  AI_SWEEP_AFTER_MS = 30_000;

  /** Where media files live: `local` disk (MEDIA_STORAGE_DIR) or an S3-compatible bucket (S3_*). */
  @IsIn(['local', 's3'])
  MEDIA_STORAGE_DRIVER: 'local' | 's3' = 'local';

  @IsString()
  MEDIA_STORAGE_DIR = './data/media';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  S3_ENDPOINT?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  S3_BUCKET?: string;

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  /** Path-style URLs (`endpoint/bucket/key`), as MinIO and most self-hosted S3 servers need. */
  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = true;

  @IsIn(['log'])
  MAIL_TRANSPORT = 'log' as const;

  @IsString()
  MAIL_FROM = 'Parley <no-reply@parley.local>';

  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** Express `trust proxy` setting: the number of proxies in front of the API (for client addresses). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TRUST_PROXY_HOPS = 0;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /** Whether Graph API calls go to the sandbox (not Meta) and the sandbox is offered. */
  get sandboxEnabled(): boolean {
    return this.WHATSAPP_SANDBOX_URL !== 'off' && !META_GRAPH_HOSTS.test(new URL(this.GRAPH_API_BASE_URL).hostname);
  }

  /** The sandbox's address for browsers, without a trailing slash; null when the platform talks to Meta. */
  get sandboxUrl(): string | null {
    return this.sandboxEnabled ? (this.WHATSAPP_SANDBOX_URL ?? this.GRAPH_API_BASE_URL).replace(/\/+$/, '') : null;
  }
}

const OPTIONAL_KEYS = [
  'CONSOLE_DIR',
  'METRICS_TOKEN',
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'WHATSAPP_SANDBOX_URL',
  'WHATSAPP_SANDBOX_CONTROL_TOKEN',
];

export class ConfigError extends Error {}

/** Builds and validates the config from an environment; throws a readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = new Set([...Object.keys(new AppConfig()), ...OPTIONAL_KEYS]);
  const input = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => known.has(key) && value !== undefined && value !== ''),
  );
  const config = plainToInstance(AppConfig, input);
  const problems = validateSync(config, { skipMissingProperties: false }).map(
    (error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
  );
  if (config.isProduction) {
    if (config.JWT_SECRET === DEV_JWT_SECRET) problems.push('JWT_SECRET: must be set in production');
    if (config.ENCRYPTION_KEY === DEV_ENCRYPTION_KEY) problems.push('ENCRYPTION_KEY: must be set in production');
  }
  if (config.MEDIA_STORAGE_DRIVER === 's3') {
    for (const key of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)
      if (!config[key]) problems.push(`${key}: required when MEDIA_STORAGE_DRIVER is s3`);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return config;
}
