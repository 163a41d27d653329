import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiParam,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorResponse } from '../errors/error-response';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is invalid (`details` names the fields)',
  401: 'No valid access token or API key',
  403: 'Authenticated, but the role or API key scope is too low',
  404: 'No such resource in this organization',
  409: 'Conflicts with an existing resource',
  410: 'The resource has expired',
  413: 'The body or file is too large',
  422: 'Well-formed, but breaks a rule',
  429: 'Too many requests; see `Retry-After`',
  502: "Meta's Graph API refused or failed the call; `details` carries Meta's code and title",
};

/** Documents the error responses an operation can return, all with the shared error body. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorResponse })),
  );
}

/** Documents a `{ data: T[], nextCursor }` list response. */
export function ApiPageResponse(item: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: {
            type: 'string',
            nullable: true,
            description: 'Pass as `cursor` to get the next page; null on the last page',
          },
        },
      },
    }),
  );
}

/**
 * An org-scoped operation: the `orgId` path parameter and the ways to authenticate, a user token
 * and (unless the route is for people only, see `ROUTE_POLICY`) an API key.
 */
export function ApiOrgScoped(options: { apiKeys: boolean } = { apiKeys: true }) {
  return applyDecorators(
    ApiParam({ name: 'orgId', description: 'Organization id', schema: { type: 'string', format: 'uuid' } }),
    ApiBearerAuth(),
    ...(options.apiKeys ? [ApiSecurity('apiKey')] : []),
  );
}
