import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, ErrorCode, TtlCache } from '@parley/api/core';
import { CloudApiClient, GraphApiError } from '@parley/whatsapp/cloud-api';
import { WabaAccountsService, WabaCredentials } from './waba-accounts.service';

/** Clients are kept half a minute per account: a rotated access token is used within 30 s. */
const CLIENT_TTL_MS = 30_000;

/** Graph API clients carrying each WABA account's own token, pointed at GRAPH_API_BASE_URL (Meta, or the sandbox). */
@Injectable()
export class GraphApiClients {
  private readonly clients = new TtlCache<string, CloudApiClient>(CLIENT_TTL_MS);

  constructor(
    private readonly accounts: WabaAccountsService,
    private readonly config: AppConfig,
  ) {}

  /** A client for the account; `timeoutMs` for calls that move files (longer than GRAPH_API_TIMEOUT_MS). */
  forAccount(orgId: string, accountId: string, timeoutMs = this.config.GRAPH_API_TIMEOUT_MS): Promise<CloudApiClient> {
    return this.clients.get(`${orgId}:${accountId}:${timeoutMs}`, () => this.build(orgId, accountId, timeoutMs));
  }

  /** A client built from the token stored now, bypassing the cache: a connection test must try the token just saved. */
  freshForAccount(orgId: string, accountId: string): Promise<CloudApiClient> {
    return this.build(orgId, accountId, this.config.GRAPH_API_TIMEOUT_MS);
  }

  private async build(orgId: string, accountId: string, timeoutMs: number): Promise<CloudApiClient> {
    return this.forCredentials(await this.accounts.credentials(orgId, accountId), timeoutMs);
  }

  /** A client for credentials already opened (uncached). */
  forCredentials(credentials: WabaCredentials, timeoutMs = this.config.GRAPH_API_TIMEOUT_MS): CloudApiClient {
    return new CloudApiClient({
      baseUrl: this.config.GRAPH_API_BASE_URL,
      version: credentials.graphApiVersion,
      accessToken: credentials.accessToken,
      timeoutMs,
    });
  }
}

/** A Graph API failure as the caller sees it: 502 `graph_api_error` with Meta's code and title. Other errors pass through. */
export function asGraphApiFailure(error: unknown): unknown {
  if (!(error instanceof GraphApiError)) return error;
  return new DomainError(ErrorCode.GraphApiFailed, `Meta's Graph API failed: ${error.message}`, {
    code: error.code,
    title: error.title,
    details: error.details,
  });
}
