// The architecture rules are only as good as the lint that enforces them: prove it bites.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('workflow determinism rules', () => {
  it.each([
    ["import fs from 'node:fs';\nexport const x = fs;", 'node: builtin'],
    ["import { readFileSync } from 'fs';\nexport const x = readFileSync;", 'bare builtin'],
    ["import { getDb } from '#db/client.ts';\nexport const x = getDb;", 'db/'],
    ["import { env } from '#platform/env.ts';\nexport const x = env;", 'platform/'],
    ["import { createIngestActivities } from '#activities/ingest/ingest.activities.ts';\nexport const x = createIngestActivities;", 'value import from activities/'],
  ])('rejects %s (%s)', async (code) => {
    expect(await ruleIds(code, 'workflows/ingest/bad.workflow.ts')).toContain('no-restricted-imports');
  });

  it('rejects process.env in a workflow', async () => {
    expect(await ruleIds('export const x = process.env.FOO;', 'workflows/ingest/bad.workflow.ts')).toContain('no-restricted-globals');
  });

  it('allows import type from activities/', async () => {
    const code = "import type { IngestActivities } from '#activities/ingest/ingest.activities.ts';\nexport type X = IngestActivities;";
    expect(await ruleIds(code, 'workflows/ingest/ok.workflow.ts')).toEqual([]);
  });
});

describe('core purity rules', () => {
  it('rejects clocks, randomness and I/O in core/', async () => {
    expect(await ruleIds('export const t = Date.now();', 'core/x.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds('export const t = new Date();', 'core/x.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds('export const r = Math.random();', 'core/x.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds("import pg from 'pg';\nexport const p = pg;", 'core/x.ts')).toContain('no-restricted-imports');
  });

  it('allows a pure function with an explicit time argument', async () => {
    expect(await ruleIds('export const later = (now: Date) => new Date(now.getTime() + 1);', 'core/x.ts')).toEqual([]);
  });
});

describe('configuration rule', () => {
  it('only platform/env.ts reads process.env', async () => {
    expect(await ruleIds('export const x = process.env.PORT;', 'platform/other.ts')).toContain('no-restricted-properties');
    expect(await ruleIds('export const x = process.env.PORT;', 'platform/env.ts')).toEqual([]);
  });
});
