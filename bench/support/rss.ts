// Peak resident memory of this process and everything it spawned (web, worker, PostgreSQL, Temporal),
// sampled from /proc. Uses PSS (proportional set size): PostgreSQL's backends share their buffers, and
// summing plain RSS would count that shared memory once per backend. Linux only; elsewhere it reports
// this process's RSS alone.
import fs from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  name: string;
  rssKb: number;
}

function readProcs(): Proc[] {
  const out: Proc[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const rollup = fs.readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8');
      const rssKb = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? /^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(entry), ppid, name: classify(cmd), rssKb });
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

function classify(cmd: string[]): string {
  const line = cmd.join(' ');
  if (/postgres/.test(cmd[0] ?? '')) return 'postgres';
  if (/temporal/.test(cmd[0] ?? '')) return 'temporal';
  if (line.includes('scripts/web.ts')) return 'web';
  if (line.includes('workers/main.ts')) return 'worker';
  if (line.includes('bench/')) return 'bench';
  return 'other';
}

/** Samples every `intervalMs`; `stop()` returns the peak RSS (MB) per group and of their sum. */
export function trackPeakRss(rootPid = process.pid, intervalMs = 250) {
  const peaks = new Map<string, number>();
  let peakTotal = 0;
  const sample = () => {
    if (process.platform !== 'linux') {
      const mb = process.memoryUsage().rss / 1e6;
      peaks.set('bench', Math.max(peaks.get('bench') ?? 0, mb));
      peakTotal = Math.max(peakTotal, mb);
      return;
    }
    const procs = readProcs();
    const children = new Map<number, Proc[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    const tree: Proc[] = [];
    const stack = procs.filter((p) => p.pid === rootPid);
    while (stack.length) {
      const p = stack.pop()!;
      tree.push(p);
      stack.push(...(children.get(p.pid) ?? []));
    }
    const now = new Map<string, number>();
    for (const p of tree) now.set(p.name, (now.get(p.name) ?? 0) + p.rssKb / 1024);
    let total = 0;
    for (const [name, mb] of now) {
      peaks.set(name, Math.max(peaks.get(name) ?? 0, mb));
      total += mb;
    }
    peakTotal = Math.max(peakTotal, total);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakTotalMb: Math.round(peakTotal), peakByProcessMb: Object.fromEntries([...peaks].map(([k, v]) => [k, Math.round(v)])) };
    },
  };
}
