import { index, layout, route, type RouteConfig } from '@react-router/dev/routes';

export default [
  // Operational endpoints, no auth.
  route('healthz', 'routes/healthz.ts'),
  route('readyz', 'routes/readyz.ts'),

  // REST API: resource routes, Bearer API key.
  route('api/v1/openapi.json', 'routes/api/openapi.ts'),
  route('api/v1/events', 'routes/api/events.ts'),
  route('api/v1/profiles', 'routes/api/profiles.ts'),
  route('api/v1/customers', 'routes/api/customers.ts'),
  route('api/v1/customers/lookup', 'routes/api/customer-lookup.ts'),
  route('api/v1/customers/:id', 'routes/api/customer.ts'),
  route('api/v1/customers/:id/merge', 'routes/api/customer-merge.ts'),
  route('api/v1/customers/:id/unmerge', 'routes/api/customer-unmerge.ts'),
  route('api/v1/customers/:id/identity-history', 'routes/api/customer-identity-history.ts'),
  route('api/v1/identity/resolve', 'routes/api/identity/resolve.ts'),
  route('api/v1/identity/reviews', 'routes/api/identity/reviews.ts'),
  route('api/v1/identity/reviews/:id', 'routes/api/identity/review.ts'),
  route('api/v1/identity/settings', 'routes/api/identity/settings.ts'),
  route('api/v1/connections', 'routes/api/connections.ts'),
  route('api/v1/connections/:id', 'routes/api/connection.ts'),
  route('api/v1/connections/:id/test', 'routes/api/connection-test.ts'),
  route('api/v1/connections/:id/sync', 'routes/api/connection-sync.ts'),
  route('api/v1/connections/:id/runs', 'routes/api/connection-runs.ts'),
  route('api/v1/imports', 'routes/api/imports.ts'),
  route('api/v1/imports/:id', 'routes/api/import.ts'),
  route('api/v1/scoring/run', 'routes/api/scoring-run.ts'),
  route('api/v1/scoring/runs', 'routes/api/scoring-runs.ts'),
  route('api/v1/scoring/runs/:id', 'routes/api/scoring-run-detail.ts'),
  route('api/v1/journeys/:id/entries', 'routes/api/journey-entries.ts'),
  route('api/*', 'routes/api/not-found.ts'),

  // MercadoLibre: OAuth connect and callback (session cookie), notifications (no auth: routed by seller id).
  route('connections/:id/mercadolibre/connect', 'routes/mercadolibre/connect.ts'),
  route('oauth/mercadolibre/callback', 'routes/mercadolibre/callback.ts'),
  route('webhooks/mercadolibre', 'routes/mercadolibre/webhook.ts'),
  // Provider webhooks: each authenticates its own way (VTEX: a secret header the CDP chose).
  route('webhooks/vtex/:connectionId', 'routes/webhooks/vtex.ts'),

  // Web UI: session cookie.
  route('login', 'routes/auth/login.tsx'),
  route('logout', 'routes/auth/logout.ts'),
  route('locale', 'routes/auth/locale.ts'),
  route('imports/upload', 'routes/app/imports-upload.ts'),
  layout('routes/app/layout.tsx', [
    index('routes/app/home.tsx'),
    route('customers', 'routes/app/customers.tsx'),
    route('customers/:id', 'routes/app/customer.tsx'),
    route('identity/reviews', 'routes/app/identity-reviews.tsx'),
    route('segments', 'routes/app/segments.tsx'),
    route('journeys', 'routes/app/journeys.tsx'),
    route('experiments', 'routes/app/experiments.tsx'),
    route('connections', 'routes/app/connections.tsx'),
    route('connections/new', 'routes/app/connection-new.tsx'),
    route('connections/:id', 'routes/app/connection.tsx'),
    route('imports', 'routes/app/imports.tsx'),
    route('imports/new', 'routes/app/imports-new.tsx'),
    route('imports/:id', 'routes/app/import.tsx'),
    route('analytics', 'routes/app/analytics.tsx'),
    route('dashboards', 'routes/app/dashboards.tsx'),
    route('workflows', 'routes/app/workflows.tsx'),
    route('api-docs', 'routes/app/api-docs.tsx'),
    route('settings', 'routes/app/settings.tsx'),
  ]),
] satisfies RouteConfig;
