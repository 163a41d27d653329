// The console's API client, generated from apps/api/openapi.json by ng-openapi-gen (`npm run api-client`).
export * from './generated';
