// Prebuilds the workflow bundle that production workers load (no webpack at worker start).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const workflowsPath = path.join(root, 'workflows', 'index.ts');
export const workflowBundlePath = path.join(root, 'build', 'workflows', 'bundle.js');

export async function buildWorkflowBundle(target = workflowBundlePath): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error } });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const t = Date.now();
  const file = await buildWorkflowBundle();
  console.log(`workflow bundle: ${path.relative(root, file)} (${(fs.statSync(file).size / 1e6).toFixed(2)} MB, ${Date.now() - t} ms)`);
}
