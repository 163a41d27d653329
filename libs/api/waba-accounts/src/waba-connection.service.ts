import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@parley/api/core';
import { GraphApiError, PhoneNumberInfo } from '@parley/whatsapp/cloud-api';
import { PhoneNumberDto } from './dto/phone-number.dto';
import { WabaConnectionTestDto } from './dto/waba-connection-test.dto';
import { QUALITY_RATINGS, QualityRating } from './entities/phone-number.entity';
import { asGraphApiFailure, GraphApiClients } from './graph-api-clients';
import { RemotePhoneNumber, WabaAccountsService } from './waba-accounts.service';

/** Checks an account's stored credentials against Meta and brings its phone numbers in. */
@Injectable()
export class WabaConnectionService {
  constructor(
    private readonly accounts: WabaAccountsService,
    private readonly clients: GraphApiClients,
  ) {}

  /**
   * Reads the WABA and its phone numbers with the account's token. Meta refusing (a bad token,
   * an unknown WABA) is the caller's to fix: 422 `waba_connection_failed` with Meta's code. Meta
   * unreachable or failing is 502 `graph_api_error`, as for every other Graph API call.
   */
  async test(orgId: string, accountId: string): Promise<WabaConnectionTestDto> {
    const account = await this.accounts.get(orgId, accountId);
    let business: { id: string; name?: string };
    let numbers: PhoneNumberInfo[];
    try {
      const client = await this.clients.freshForAccount(orgId, account.id);
      business = await client.getBusinessAccount(account.wabaId);
      numbers = await client.listPhoneNumbers(account.wabaId);
    } catch (error) {
      if (!isRefusal(error)) throw asGraphApiFailure(error);
      await this.accounts.recordFailedConnectionTest(orgId, account.id, { code: error.code });
      throw new DomainError(
        ErrorCode.WabaConnectionFailed,
        `Meta refused the connection to WABA ${account.wabaId}: ${error.message}`,
        { code: error.code, subcode: error.subcode, title: error.title, details: error.details },
      );
    }
    const seen = { id: String(business.id), name: business.name ?? null };
    const stored = await this.accounts.recordConnectionTest(orgId, account.id, seen, numbers.map(remoteNumber));
    return { ok: true, business: seen, phoneNumbers: stored.map(PhoneNumberDto.from) };
  }
}

/** Meta answered with an error that trying again won't fix (190, 100, 200...): the credentials or ids are wrong. */
function isRefusal(error: unknown): error is GraphApiError {
  return error instanceof GraphApiError && error.code !== null && error.httpStatus !== null && !error.retryable;
}

function remoteNumber(info: PhoneNumberInfo): RemotePhoneNumber {
  const rating = String(info.quality_rating ?? '').toUpperCase();
  return {
    phoneNumberId: String(info.id),
    displayPhoneNumber: info.display_phone_number,
    verifiedName: info.verified_name || null,
    qualityRating: (QUALITY_RATINGS as readonly string[]).includes(rating) ? (rating as QualityRating) : 'UNKNOWN',
  };
}
