import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import type { CustomerScoresView } from '#core/api/scoring.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { FigureRow } from '../figure-row.tsx';
import { SectionCard } from '../section-card.tsx';
import { BarList, LineChart } from './charts.tsx';
import { lifecycleKey, segmentKey } from './labels.ts';

/** The customer's nightly scores, the run they came from, and how they moved (history of runs). */
export function CustomerScoresCard({ scores }: { scores: CustomerScoresView | null }) {
  const t = useT();
  const format = useFormat();
  if (!scores) {
    return (
      <SectionCard title={t('scoring.card.title')}>
        <Typography color="text.secondary" data-testid="scores-none">
          {t('scoring.card.none')}
        </Typography>
      </SectionCard>
    );
  }
  const money = (v: number | null) => (v === null ? '—' : format.money(v, scores.clv.currency));
  const pct = (v: number | null) => (v === null ? '—' : format.percent(v));
  const hist = scores.history;
  const pAlive = hist.filter((h) => h.pAlive !== null).map((h) => ({ x: format.dateTime(h.asOf), y: h.pAlive! }));
  const clv = hist.filter((h) => h.clv1yMinor !== null).map((h) => ({ x: format.dateTime(h.asOf), y: h.clv1yMinor! }));
  const moves = hist.filter((h, i) => i === 0 || h.lifecycleState !== hist[i - 1]!.lifecycleState || h.rfmSegment !== hist[i - 1]!.rfmSegment);
  const propensity = Object.entries(scores.propensity).sort((a, b) => b[1] - a[1]).slice(0, 5);
  return (
    <SectionCard title={t('scoring.card.title')}>
      <Box data-testid="customer-scores">
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 1 }}>
          {scores.rfm ? <Chip color="primary" label={`${t(segmentKey(scores.rfm.segment))} · ${scores.rfm.r}${scores.rfm.f}${scores.rfm.m}`} data-testid="score-segment" /> : null}
          <Chip variant="outlined" label={t(lifecycleKey(scores.lifecycle.state))} title={scores.lifecycle.reason} data-testid="score-lifecycle" />
          {scores.churnEpisodeOpen ? <Chip color="warning" label={t('scoring.episodeOpen')} /> : null}
        </Box>
        <FigureRow label={t('scoring.clv1y')} value={money(scores.clv.oneYearMinor)} testId="score-clv1y" />
        <FigureRow label={t('scoring.clv3y')} value={money(scores.clv.threeYearsMinor)} />
        <FigureRow label={t('scoring.clv5y')} value={money(scores.clv.fiveYearsMinor)} />
        <FigureRow label={t('scoring.pAlive')} value={pct(scores.pAlive)} />
        <FigureRow label={t('scoring.churnRisk')} value={pct(scores.churnRisk)} />
        <FigureRow label={t('scoring.expected90')} value={scores.expectedPurchases.days90 === null ? '—' : scores.expectedPurchases.days90.toFixed(2)} />
        {scores.nextBestAction ? (
          <Box sx={{ mt: 1.5 }}>
            <Typography variant="body2" color="text.secondary">
              {t('scoring.nextBestAction')}
            </Typography>
            <Typography sx={{ fontWeight: 600 }} data-testid="score-nba">
              {scores.nextBestAction.action}
              {scores.nextBestAction.category ? ` · ${scores.nextBestAction.category}` : ''}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {scores.nextBestAction.reason}
            </Typography>
          </Box>
        ) : null}
        {propensity.length ? (
          <Box sx={{ mt: 1.5 }}>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
              {t('scoring.propensity')}
            </Typography>
            <BarList bars={propensity.map(([k, v]) => ({ key: k, label: k, value: v, display: format.percent(v) }))} />
          </Box>
        ) : null}
        {hist.length > 1 ? (
          <>
            <Divider sx={{ my: 1.5 }} />
            <Typography variant="body2" color="text.secondary">
              {t('scoring.history')}
            </Typography>
            {pAlive.length > 1 ? <LineChart points={pAlive} label={t('scoring.pAlive')} format={(v) => format.percent(v)} /> : null}
            {clv.length > 1 ? <LineChart points={clv} label={t('scoring.clv1y')} format={(v) => money(v)} /> : null}
            <Box component="ol" sx={{ m: 0, pl: 2.5 }} data-testid="score-history">
              {moves.map((h) => (
                <li key={h.runId}>
                  <Typography variant="body2">
                    {format.dateTime(h.asOf)}: {t(lifecycleKey(h.lifecycleState))}
                    {h.rfmSegment ? ` · ${t(segmentKey(h.rfmSegment))}` : ''}
                  </Typography>
                </li>
              ))}
            </Box>
          </>
        ) : null}
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1.5 }}>
          {t('scoring.card.run', { date: format.dateTime(scores.asOf) })}
        </Typography>
      </Box>
    </SectionCard>
  );
}
