// Builds the web app when its build is missing or older than the sources (first start, or after a pull).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serverBuildPath } from './web-server.ts';

const sourceRoots = ['app', 'core', 'db', 'platform', 'workflows', 'package.json', 'vite.config.ts', 'react-router.config.ts'];

/** Newest modification time under the given paths. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p)) if (entry !== 'node_modules' && !entry.startsWith('.')) walk(path.join(p, entry));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(walk);
  return newest;
}

export function ensureWebBuild(progress: (line: string) => void = () => {}): void {
  const built = fs.statSync(serverBuildPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built >= newestMtime(sourceRoots)) return progress('Web build: up to date');
  progress('Web build: building the web app (first start or sources changed)…');
  const r = spawnSync(process.execPath, [path.resolve('node_modules/@react-router/dev/bin.js'), 'build'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`react-router build failed:\n${r.stdout}\n${r.stderr}`);
  progress('Web build: done');
}
