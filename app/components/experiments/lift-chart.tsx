// The primary metric's relative lift per variant over the stored evaluations, with its sequential interval as a band.
// Plain SVG: a handful of series over at most 500 points.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { EvaluationPoint } from '#db/queries/experiments.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';

const COLORS = ['#1976d2', '#9c27b0', '#ed6c02', '#2e7d32', '#d32f2f', '#0288d1', '#7b1fa2', '#f57c00', '#388e3c'];

export function LiftChart({ history }: { history: EvaluationPoint[] }) {
  const t = useT();
  const format = useFormat();
  const points = history.filter((h) => h.primary.length);
  if (points.length < 2)
    return (
      <Typography variant="body2" color="text.secondary" data-testid="lift-chart-empty">
        {t('experiments.detail.chartEmpty')}
      </Typography>
    );
  const variants = [...new Set(points.flatMap((p) => p.primary.map((v) => v.variant)))];
  const W = 720;
  const H = 220;
  const pad = { l: 48, r: 12, t: 10, b: 24 };
  const finite = (n: number) => (Number.isFinite(n) ? n : 0);
  const values = points.flatMap((p) => p.primary.flatMap((v) => [finite(v.sequentialRelative.lower), finite(v.sequentialRelative.upper), v.relative.estimate]));
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const x = (i: number) => pad.l + (i / (points.length - 1)) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (finite(v) - lo) / span) * (H - pad.t - pad.b);
  return (
    <Box>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={t('experiments.detail.chart')} data-testid="lift-chart">
        <line x1={pad.l} x2={W - pad.r} y1={y(0)} y2={y(0)} stroke="#9e9e9e" strokeDasharray="4 3" />
        {[lo, hi].map((v) => (
          <text key={v} x={pad.l - 6} y={y(v) + 4} fontSize="11" textAnchor="end" fill="#616161">
            {format.percent(v)}
          </text>
        ))}
        <text x={pad.l} y={H - 6} fontSize="11" fill="#616161">
          {format.dateTime(points[0]!.evaluatedAt)}
        </text>
        <text x={W - pad.r} y={H - 6} fontSize="11" fill="#616161" textAnchor="end">
          {format.dateTime(points[points.length - 1]!.evaluatedAt)}
        </text>
        {variants.map((variant, vi) => {
          const series = points.map((p, i) => ({ i, v: p.primary.find((r) => r.variant === variant) })).filter((s) => s.v);
          const color = COLORS[vi % COLORS.length]!;
          const band = [...series.map((s) => `${x(s.i)},${y(s.v!.sequentialRelative.upper)}`), ...[...series].reverse().map((s) => `${x(s.i)},${y(s.v!.sequentialRelative.lower)}`)].join(' ');
          return (
            <g key={variant} data-testid="lift-series" data-variant={variant}>
              <polygon points={band} fill={color} opacity={0.12} />
              <polyline points={series.map((s) => `${x(s.i)},${y(s.v!.relative.estimate)}`).join(' ')} fill="none" stroke={color} strokeWidth={2} />
              {series.map((s) => (
                <circle key={s.i} cx={x(s.i)} cy={y(s.v!.relative.estimate)} r={3} fill={color}>
                  <title>{`${variant} · ${format.dateTime(points[s.i]!.evaluatedAt)} · ${format.percent(s.v!.relative.estimate)} [${format.percent(s.v!.sequentialRelative.lower)}, ${format.percent(s.v!.sequentialRelative.upper)}]`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        {variants.map((v, vi) => (
          <Typography key={v} variant="caption" sx={{ color: COLORS[vi % COLORS.length] }}>
            ■ {v}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
