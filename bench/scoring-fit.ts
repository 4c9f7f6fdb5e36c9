// bench:scoring-fit — fit BG/NBD + Gamma–Gamma on 1,000,000 customer summaries simulated from known parameters
// (seeded: same data every run), the nightly CLV fit's cost. Target ≤ 10 s on a 2-core machine. Baseline in
// the same run: one log-likelihood evaluation over the uncompressed summaries (what a single optimiser step
// would cost without compression). Reports parameter recovery and peak memory.
// Usage: npm run bench:scoring-fit [-- --customers 1000000 --seed 1]
import os from 'node:os';
import { bgNbdLogLikelihood, compressSummaries, fitBgNbd, type BgNbdParams } from '#core/scoring/bgnbd.ts';
import { fitGammaGamma, type GammaGammaParams } from '#core/scoring/gamma-gamma.ts';
import { gammaVariate, simulateBgNbdDays } from '#tests/support/distributions.ts';
import { prng } from '#tests/support/prng.ts';
import { trackPeakRss } from './support/rss.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 1_000_000);
const SEED = arg('seed', 1);
const TRUE_BG: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }; // weekly, CDNOW-like
const TRUE_GG: GammaGammaParams = { p: 6, q: 4, v: 15 };
const WEEK = 7;
const HORIZON_DAYS = 730; // customers acquired uniformly over two years

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const recovery = <P extends object>(fit: P, truth: P) =>
  Object.fromEntries(Object.entries(truth).map(([k, v]) => [k, { true: v, fitted: Number((fit[k as keyof P] as number).toPrecision(5)), errorPct: Number(((100 * ((fit[k as keyof P] as number) - v)) / v).toFixed(2)) }]));

function simulate() {
  const rand = prng(SEED);
  const x = new Float64Array(CUSTOMERS);
  const tx = new Float64Array(CUSTOMERS);
  const T = new Float64Array(CUSTOMERS);
  const mbar = new Float64Array(CUSTOMERS);
  for (let i = 0; i < CUSTOMERS; i++) {
    const ageDays = Math.floor(rand() * HORIZON_DAYS);
    const days = simulateBgNbdDays(rand, TRUE_BG, ageDays, WEEK);
    x[i] = days.length;
    tx[i] = days.length ? days[days.length - 1]! / WEEK : 0;
    T[i] = ageDays / WEEK;
    if (days.length) {
      const nu = gammaVariate(rand, TRUE_GG.q) / TRUE_GG.v;
      let total = 0;
      for (let j = 0; j < days.length; j++) total += gammaVariate(rand, TRUE_GG.p) / nu;
      // Cents, as the app stores money.
      mbar[i] = Math.round((100 * total) / days.length) / 100;
    }
  }
  return { x, tx, T, mbar };
}

function main() {
  console.log(`bench:scoring-fit: ${CUSTOMERS.toLocaleString('en')} simulated customers, seed ${SEED}, ${os.cpus().length} cores`);
  let t0 = performance.now();
  const data = simulate();
  const repeat = data.x.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  console.log(`  simulated in ${seconds(t0).toFixed(1)} s: ${repeat.toLocaleString('en')} repeat customers`);

  const rss = trackPeakRss();
  t0 = performance.now();
  const baseline = bgNbdLogLikelihood(TRUE_BG, data);
  const baselineSeconds = seconds(t0);

  const fitStart = performance.now();
  const cpuStart = process.cpuUsage();
  t0 = performance.now();
  const compressed = compressSummaries(data);
  const compressSeconds = seconds(t0);
  t0 = performance.now();
  const bg = fitBgNbd(compressed);
  const bgSeconds = seconds(t0);
  t0 = performance.now();
  const gg = fitGammaGamma({ x: data.x, mbar: data.mbar });
  const ggSeconds = seconds(t0);
  const totalSeconds = seconds(fitStart);
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const memory = rss.stop();

  const result = {
    customers: CUSTOMERS,
    repeatCustomers: repeat,
    compressedRows: compressed.x.length,
    totalSeconds: Number(totalSeconds.toFixed(2)),
    // On a shared machine wall time depends on the neighbours; the CPU time of the fit does not.
    totalCpuSeconds: Number(cpuSeconds.toFixed(2)),
    compressSeconds: Number(compressSeconds.toFixed(2)),
    bgNbdSeconds: Number(bgSeconds.toFixed(2)),
    gammaGammaSeconds: Number(ggSeconds.toFixed(2)),
    baselineOneLogLikelihoodSeconds: Number(baselineSeconds.toFixed(3)),
    ratioToBaseline: Number((totalSeconds / baselineSeconds).toFixed(1)),
    bgNbd: { converged: bg.converged, iterations: bg.iterations, logLikelihood: bg.logLikelihood, message: bg.message, recovery: recovery(bg.params, TRUE_BG) },
    gammaGamma: { converged: gg.converged, iterations: gg.iterations, logLikelihood: gg.logLikelihood, message: gg.message, recovery: recovery(gg.params, TRUE_GG) },
    peakRssMb: memory.peakTotalMb,
  };
  console.log(`  compress ${result.compressSeconds} s (${CUSTOMERS.toLocaleString('en')} → ${result.compressedRows.toLocaleString('en')} rows)`);
  console.log(`  BG/NBD fit ${result.bgNbdSeconds} s (${bg.iterations} iterations, converged ${bg.converged}): ${JSON.stringify(result.bgNbd.recovery)}`);
  console.log(`  Gamma–Gamma fit ${result.gammaGammaSeconds} s (${gg.iterations} iterations, converged ${gg.converged}): ${JSON.stringify(result.gammaGamma.recovery)}`);
  console.log(`  total ${result.totalSeconds} s wall, ${result.totalCpuSeconds} s CPU (target ≤ 10 s)`);
  console.log(`  baseline: one BG/NBD log-likelihood over the uncompressed summaries ${result.baselineOneLogLikelihoodSeconds} s (LL ${baseline.toFixed(1)}); fit = ${result.ratioToBaseline}× that`);
  console.log(`  peak memory: ${result.peakRssMb} MB`);
  console.log(JSON.stringify(result));
}

main();
