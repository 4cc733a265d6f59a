import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiHarness } from './api-harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api?.stop());

it('passes every MUST of the GraphQL-over-HTTP audit (graphql-http), and reports the SHOULDs', async () => {
  const results = await auditServer({ url: api.server.graphqlUrl });
  const failed = results.filter((r) => r.status === 'error');
  const advisories = results.filter((r) => r.status === 'warn' || r.status === 'notice');
  for (const r of advisories)
    console.info(`graphql-http ${r.status}: ${r.name}${'reason' in r ? ` (${r.reason})` : ''}`);
  console.info(
    `graphql-http audit: ${results.length - failed.length - advisories.length} ok, ${advisories.length} advisory, ${failed.length} failed`,
  );
  expect(failed.map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`)).toEqual([]);
  expect(results.length).toBeGreaterThan(30);
});
