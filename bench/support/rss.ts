// Peak resident memory of this process and everything it spawned (web, worker, PostgreSQL, Temporal),
// sampled from /proc. Uses PSS (proportional set size): PostgreSQL's backends share their buffers, and
// summing plain RSS would count that shared memory once per backend (Node processes: RSS, see readTree).
// Linux only; elsewhere it reports this process's RSS alone.
import fs from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  name: string;
  rssKb: number;
}

/**
 * The tree under rootPid. Parents come from the cheap /proc/<pid>/stat of every process; the costly smaps_rollup
 * (PSS) is read only for the tree's own processes: on a shared machine reading it for every process took seconds
 * of the bench's event loop per sample.
 */
function readTree(rootPid: number): Proc[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended between readdir and read
    }
  }
  const out: Proc[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    stack.push(...(children.get(pid) ?? []));
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // Node reserves tens of GB of address space, which makes its smaps_rollup slow to read (tens of ms per
      // sample, stolen from the bench's event loop); it shares little, so its RSS is its PSS near enough.
      const isNode = /(^|\/)node$/.test(cmd[0] ?? '') || cmd[0] === process.execPath;
      const rollup = isNode ? '' : fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const rssKb = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? /^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      out.push({ pid, ppid, name: classify(cmd), rssKb });
    } catch {
      // ended meanwhile
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
  if (line.includes('tests/fakes/')) return 'fake';
  if (line.includes('bench/')) return 'bench';
  return 'other';
}

/** Samples every `intervalMs`; `stop()` returns the peak RSS (MB) per group and of their sum. */
export function trackPeakRss(rootPid = process.pid, intervalMs = 500) {
  const peaks = new Map<string, number>();
  let peakTotal = 0;
  const sample = () => {
    if (process.platform !== 'linux') {
      const mb = process.memoryUsage().rss / 1e6;
      peaks.set('bench', Math.max(peaks.get('bench') ?? 0, mb));
      peakTotal = Math.max(peakTotal, mb);
      return;
    }
    const tree = readTree(rootPid);
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

const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) used so far by each group of the tree under rootPid: on a shared machine the
 * wall-clock rate depends on the neighbours, CPU per record does not. Processes that exited are not counted.
 */
export function cpuSeconds(rootPid = process.pid): Record<string, number> {
  const out: Record<string, number> = {};
  if (process.platform !== 'linux') return { bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
  for (const p of readTree(rootPid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after "pid (comm)".
      out[p.name] = (out[p.name] ?? 0) + (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
    } catch {
      // ended meanwhile
    }
  }
  return out;
}
