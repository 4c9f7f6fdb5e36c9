// Small charts without a chart library: horizontal bars and a line over time, in MUI colours, with text labels.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Shown at the end of the bar instead of the raw value. */
  display: string;
  hint?: string;
}

/** One bar per row, scaled to the largest value; labels stay readable on phones. */
export function BarList({ bars, testId }: { bars: Bar[]; testId?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <Box component="ul" data-testid={testId} sx={{ listStyle: 'none', m: 0, p: 0, display: 'grid', gap: 1 }}>
      {bars.map((b) => (
        <Box component="li" key={b.key} data-testid={testId ? `${testId}-${b.key}` : undefined} sx={{ display: 'grid', gridTemplateColumns: 'minmax(7rem, 11rem) 1fr auto', gap: 1, alignItems: 'center' }}>
          <Typography variant="body2" noWrap title={b.label}>
            {b.label}
          </Typography>
          <Box sx={{ height: 12, borderRadius: 1, bgcolor: 'action.hover', overflow: 'hidden' }} title={b.hint}>
            <Box sx={{ height: '100%', width: `${(100 * b.value) / max}%`, bgcolor: 'primary.main', borderRadius: 1 }} />
          </Box>
          <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', textAlign: 'right', minWidth: '4rem' }}>
            {b.display}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** A line of values over time (e.g. P(alive) per scoring run), with its first and last labels. */
export function LineChart({ points, label, format, height = 64 }: { points: { x: string; y: number }[]; label: string; format: (v: number) => string; height?: number }) {
  const theme = useTheme();
  if (points.length === 0) return null;
  const width = 300;
  const ys = points.map((p) => p.y);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || 1;
  const xy = points.map((p, i) => [points.length === 1 ? width / 2 : (i * width) / (points.length - 1), height - 6 - ((p.y - lo) / span) * (height - 12)] as const);
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {label}: {format(points[0]!.y)} → {format(points.at(-1)!.y)}
      </Typography>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={label} preserveAspectRatio="none">
        <polyline points={xy.map(([x, y]) => `${x},${y}`).join(' ')} fill="none" stroke={theme.palette.primary.main} strokeWidth={2} vectorEffect="non-scaling-stroke" />
        {xy.map(([x, y], i) => (
          <circle key={i} cx={x} cy={y} r={3} fill={theme.palette.primary.main}>
            <title>{`${points[i]!.x}: ${format(points[i]!.y)}`}</title>
          </circle>
        ))}
      </svg>
    </Box>
  );
}
