// Replays recorded production-shaped histories against today's workflow code: a nondeterministic
// change (reordered activities, a removed timer) fails here, in CI, before it breaks running workflows.
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '#workers/bundle-workflows.ts';

const dir = path.resolve('tests/histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowsPath }, history, file)).resolves.toBeUndefined();
  });
});
