// The console's API client, generated from apps/api/openapi.json by ng-openapi-gen (`npm run api-client`).
export { Api } from './generated/api';
export { ApiConfiguration, provideApiConfiguration } from './generated/api-configuration';
export * from './generated/functions';
export * from './generated/models';
export { RequestBuilder } from './generated/request-builder';
export type { StrictHttpResponse } from './generated/strict-http-response';
