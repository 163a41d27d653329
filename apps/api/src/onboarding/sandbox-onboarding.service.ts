import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, ErrorCode, randomToken } from '@parley/api/core';
import { OrganizationsService } from '@parley/api/organizations';
import { TemplatesService } from '@parley/api/templates';
import { WabaAccount, WabaAccountsService, WabaConnectionService } from '@parley/api/waba-accounts';
import { randomInt } from 'node:crypto';
import { ConnectSandboxDto } from './dto/connect-sandbox.dto';

/** Approved in the new WABA besides Meta's `hello_world`: a template with parameters to try the send form on. */
const SAMPLE_TEMPLATES = [
  {
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.',
        example: { body_text: [['Maria', '#1042', 'tomorrow']] },
      },
    ],
  },
];

interface SandboxWabaList {
  data: { phoneNumbers: { displayPhoneNumber: string }[] }[];
}

/**
 * One-click onboarding against the bundled WhatsApp sandbox: a WABA with fresh ids and secrets is
 * connected here as `createWabaAccount` would, registered in the sandbox (which plays Meta for it),
 * then its phone number and templates are pulled in the way a real account's are.
 */
@Injectable()
export class SandboxOnboardingService {
  constructor(
    private readonly config: AppConfig,
    private readonly orgs: OrganizationsService,
    private readonly accounts: WabaAccountsService,
    private readonly connection: WabaConnectionService,
    private readonly templates: TemplatesService,
  ) {}

  async connect(orgId: string, input: ConnectSandboxDto): Promise<WabaAccount> {
    // The api reaches the sandbox where it sends Graph API calls (browsers may know it by another address).
    const sandboxUrl = this.config.GRAPH_API_BASE_URL.replace(/\/+$/, '');
    if (!this.config.sandboxEnabled) {
      throw new DomainError(
        ErrorCode.SandboxUnavailable,
        "This platform talks to Meta's Graph API, so there is no WhatsApp sandbox to connect: connect a real WhatsApp Business Account instead",
      );
    }
    const org = await this.orgs.get(orgId);
    const taken = await this.displayNumbersIn(sandboxUrl);
    const secrets = {
      appSecret: randomToken(24),
      accessToken: `EAAG${randomToken(48)}`,
      verifyToken: randomToken(24),
    };
    const account = await this.accounts.create(orgId, {
      name: input.name ?? 'WhatsApp sandbox',
      wabaId: metaId(),
      appId: metaId(),
      ...secrets,
    });
    try {
      await this.control(sandboxUrl, 'POST', '/wabas', {
        wabaId: account.wabaId,
        name: account.name,
        ...secrets,
        callbackUrl: this.accounts.webhookUrl(account.id),
        phoneNumbers: [
          {
            phoneNumberId: metaId(),
            displayPhoneNumber: freshDisplayNumber(taken),
            verifiedName: org.name.slice(0, 256),
            qualityRating: 'GREEN',
          },
        ],
        templates: SAMPLE_TEMPLATES,
      });
    } catch (error) {
      // The sandbox never learnt of it: an account nobody can reach would only be in the way.
      await this.accounts.delete(orgId, account.id);
      throw error;
    }
    await this.connection.test(orgId, account.id);
    await this.templates.sync(orgId, account.id);
    return account;
  }

  /** The display numbers the sandbox already shows, as digits, so the new one differs from all of them. */
  private async displayNumbersIn(sandboxUrl: string): Promise<Set<string>> {
    const wabas = (await this.control(sandboxUrl, 'GET', '/wabas')) as SandboxWabaList;
    return new Set(wabas.data.flatMap((w) => w.phoneNumbers.map((n) => digitsOf(n.displayPhoneNumber))));
  }

  /** A call to the sandbox's control API; failures are 502 `graph_api_error`, the sandbox standing in for Meta. */
  private async control(sandboxUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${sandboxUrl}/_sandbox${path}`;
    const token = this.config.WHATSAPP_SANDBOX_CONTROL_TOKEN;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.GRAPH_API_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError(
        ErrorCode.GraphApiFailed,
        `The WhatsApp sandbox at ${sandboxUrl} is unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new DomainError(
        ErrorCode.GraphApiFailed,
        `The WhatsApp sandbox refused ${method} /_sandbox${path} (${response.status}): ${text.slice(0, 500)}`,
      );
    }
    return text ? JSON.parse(text) : null;
  }
}

/** A numeric id shaped like Meta's (15 digits, no leading zero). */
function metaId(): string {
  return `${randomInt(1, 10)}${Array.from({ length: 14 }, () => randomInt(0, 10)).join('')}`;
}

function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** A US 555 number the sandbox does not show yet. */
function freshDisplayNumber(taken: Set<string>): string {
  for (;;) {
    const number = `+1 555-${randomInt(100, 1000)}-${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    if (!taken.has(digitsOf(number))) return number;
  }
}
