// One React Flow node component per journey node type: key settings, validation errors, live counts, and one source
// handle per output port (core `portsOf`), so an edge's sourceHandle is always the port it sets.
import CallSplit from '@mui/icons-material/CallSplit';
import EditNote from '@mui/icons-material/EditNote';
import EmailOutlined from '@mui/icons-material/EmailOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import HourglassEmpty from '@mui/icons-material/HourglassEmpty';
import Login from '@mui/icons-material/Login';
import Logout from '@mui/icons-material/Logout';
import Schedule from '@mui/icons-material/Schedule';
import Science from '@mui/icons-material/Science';
import Webhook from '@mui/icons-material/Webhook';
import Box from '@mui/material/Box';
import type SvgIcon from '@mui/material/SvgIcon';
import Typography from '@mui/material/Typography';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { createContext, memo, useContext, type ReactNode } from 'react';
import type { NodeAnalytics } from '#core/api/journeys.ts';
import type { JourneyError, JourneyNode, JourneyNodeType, NodeOf } from '#core/journeys/index.ts';
import type { JourneyFlowNode } from '#core/journeys/flow.ts';
import { useFormat, useT, type Translate } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { safePorts } from './canvas-ops.ts';

export const NODE_WIDTH = 248;

export interface CanvasInfo {
  errors: Map<string, JourneyError[]>;
  analytics: Map<string, NodeAnalytics> | null;
  templateName: (id: string) => string | undefined;
  segmentName: (id: string) => string | undefined;
}

export const CanvasInfoContext = createContext<CanvasInfo>({ errors: new Map(), analytics: null, templateName: () => undefined, segmentName: () => undefined });

export const nodeIcons: Record<JourneyNodeType, typeof SvgIcon> = {
  entry: Login,
  delay: Schedule,
  wait: HourglassEmpty,
  split: CallSplit,
  experiment: Science,
  message: EmailOutlined,
  update_profile: EditNote,
  webhook: Webhook,
  exit: Logout,
};

export const nodeColors: Record<JourneyNodeType, string> = {
  entry: '#16a34a',
  delay: '#64748b',
  wait: '#d97706',
  split: '#7c3aed',
  experiment: '#db2777',
  message: '#2563eb',
  update_profile: '#0891b2',
  webhook: '#475569',
  exit: '#334155',
};

/** 3600 → "1 h", 172800 → "2 d", 90 → "2 min" (rounded up). */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '—';
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.ceil(seconds / 60)} min`;
}

const hhmm = (h: number, m = 0) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

/** The one-line description of a node's key settings. */
export function nodeSummary(node: JourneyNode, t: Translate, info: Pick<CanvasInfo, 'templateName' | 'segmentName'>): string[] {
  const seg = (id: string) => info.segmentName(id) ?? id;
  switch (node.type) {
    case 'entry': {
      const tr = node.trigger;
      if (!tr) return [];
      if (tr.kind === 'api') return [t('journey.summary.api')];
      if (tr.kind === 'event') return [t('journey.summary.event', { event: tr.event }), ...(tr.correlationKey ? [t('journey.summary.keyedBy', { key: tr.correlationKey })] : [])];
      if (tr.kind === 'segment_entered') return [t('journey.summary.segment', { segment: seg(tr.segmentId) })];
      return [t(`journey.summary.date.${tr.date}` as MessageKey, { hour: hhmm(tr.localHour, tr.localMinute ?? 0) })];
    }
    case 'delay': {
      const d = node.delay;
      if (!d) return [];
      if (d.kind === 'duration') return [t('journey.summary.duration', { duration: humanDuration(d.seconds) })];
      if (d.kind === 'local_time') return [t('journey.summary.localTime', { time: hhmm(d.hour, d.minute ?? 0) })];
      const source = d.source?.kind === 'attribute' ? d.source.key : t('journey.field.dateSource.birthDate');
      const offset = d.offsetSeconds ? `${d.offsetSeconds > 0 ? '+' : '−'}${humanDuration(Math.abs(d.offsetSeconds))}` : '';
      return [t('journey.summary.untilDate', { source, offset }).trim()];
    }
    case 'wait':
      return [
        ...(node.conditions ?? []).map((c) =>
          c.kind === 'event' ? t('journey.summary.waitEvent', { event: c.match?.event ?? '' }) : t('journey.summary.waitSegment', { change: t(`journey.field.change.${c.change}` as MessageKey), segment: seg(c.segmentId) }),
        ),
        t('journey.summary.timeout', { duration: humanDuration(node.timeoutSeconds) }),
      ];
    case 'split':
      return (node.branches ?? []).map((b) => b.label ?? b.id);
    case 'experiment':
      return [
        (node.variants ?? []).map((v) => `${v.label ?? v.id} ${v.weight}%`).join(' · '),
        ...(node.holdoutPercent ? [t('journey.summary.holdout', { percent: node.holdoutPercent })] : []),
      ];
    case 'message':
      return [
        `${node.channel}${node.transactional ? ` · ${t('journey.summary.transactional')}` : ''}`,
        node.templateId ? (info.templateName(node.templateId) ?? node.templateId) : t('journey.summary.noTemplate'),
      ];
    case 'update_profile':
      return [t('journey.summary.updates', { count: (node.updates ?? []).length })];
    case 'webhook':
      return [`${node.method ?? 'POST'} ${node.url || '—'}`];
    case 'exit':
      return node.reason ? [node.reason] : [];
  }
}

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  const format = useFormat();
  return (
    <Box sx={{ textAlign: 'center', minWidth: 0 }} data-testid={testId} data-value={value}>
      <Typography variant="subtitle2" component="div" sx={{ lineHeight: 1.2 }}>
        {format.number(value)}
      </Typography>
      <Typography variant="caption" color="text.secondary" component="div" noWrap>
        {label}
      </Typography>
    </Box>
  );
}

function NodeShell({ id, node, selected }: { id: string; node: JourneyNode; selected: boolean }) {
  const t = useT();
  const info = useContext(CanvasInfoContext);
  const errors = info.errors.get(id) ?? [];
  const stats = info.analytics?.get(id);
  const ports = safePorts(node);
  const Icon = nodeIcons[node.type];
  const color = nodeColors[node.type];
  const lines = (() => {
    try {
      return nodeSummary(node, t, info);
    } catch {
      return [];
    }
  })();
  return (
    <Box
      data-testid="journey-node"
      data-node-id={id}
      data-node-type={node.type}
      data-invalid={errors.length > 0 ? 'true' : 'false'}
      sx={{
        width: NODE_WIDTH,
        bgcolor: 'background.paper',
        border: 2,
        borderColor: errors.length ? 'error.main' : selected ? 'primary.main' : 'divider',
        borderRadius: 2,
        boxShadow: selected ? 4 : 1,
        pb: ports.length ? 2.5 : 0,
        position: 'relative',
      }}
    >
      {node.type !== 'entry' ? <Handle type="target" position={Position.Top} style={{ width: 10, height: 10 }} /> : null}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1.5, py: 1, borderBottom: 1, borderColor: 'divider', borderTop: 4, borderTopColor: color, borderRadius: '6px 6px 0 0' }}>
        <Icon sx={{ color, fontSize: 20 }} />
        <Box sx={{ minWidth: 0, flex: 1 }}>
          {node.name ? (
            <Typography variant="caption" color="text.secondary" component="div" sx={{ lineHeight: 1.1 }}>
              {t(`journey.node.${node.type}` as MessageKey)}
            </Typography>
          ) : null}
          <Typography variant="subtitle2" component="div" noWrap title={node.name ?? id}>
            {node.name || t(`journey.node.${node.type}` as MessageKey)}
          </Typography>
        </Box>
        {errors.length ? <ErrorOutline color="error" fontSize="small" titleAccess={errors.map((e) => e.message).join('\n')} /> : null}
      </Box>
      <Box sx={{ px: 1.5, py: 0.75 }}>
        {lines.map((l, i) => (
          <Typography key={i} variant="body2" noWrap title={l} data-testid="node-summary">
            {l}
          </Typography>
        ))}
        {errors.length ? (
          <Typography variant="caption" color="error" component="div" data-testid="node-error" sx={{ mt: 0.5 }}>
            {errors[0]!.message}
            {errors.length > 1 ? ` (+${errors.length - 1})` : ''}
          </Typography>
        ) : null}
      </Box>
      {stats ? (
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 0.5, px: 1, py: 0.75, borderTop: 1, borderColor: 'divider', bgcolor: 'action.hover' }} data-testid="node-stats">
          <Stat label={t('journey.analytics.entered')} value={stats.entered} testId="node-stat-entered" />
          <Stat label={t('journey.analytics.waiting')} value={stats.waiting} testId="node-stat-waiting" />
          <Stat label={t('journey.analytics.converted')} value={stats.converted} testId="node-stat-converted" />
          {node.type === 'message' ? (
            <>
              <Stat label={t('journey.analytics.sent')} value={stats.messages.sent} testId="node-stat-sent" />
              <Stat label={t('journey.analytics.opened')} value={stats.messages.opened} testId="node-stat-opened" />
              <Stat label={t('journey.analytics.clicked')} value={stats.messages.clicked} testId="node-stat-clicked" />
            </>
          ) : null}
        </Box>
      ) : null}
      {ports.map((p, i) => {
        const left = `${((i + 1) / (ports.length + 1)) * 100}%`;
        const exits = stats?.exits[p.id];
        return (
          <Box key={p.id}>
            {ports.length > 1 || exits !== undefined ? (
              <Typography
                variant="caption"
                component="div"
                data-testid={`port-label-${p.id}`}
                sx={{ position: 'absolute', bottom: 4, left, transform: 'translateX(-50%)', whiteSpace: 'nowrap', maxWidth: NODE_WIDTH / ports.length + 20, overflow: 'hidden', textOverflow: 'ellipsis', color: p.target ? 'text.secondary' : 'error.main', fontSize: 11 }}
              >
                {ports.length > 1 ? p.label || p.id : ''}
                {exits !== undefined ? `${ports.length > 1 ? ' · ' : ''}${exits}` : ''}
              </Typography>
            ) : null}
            <Handle type="source" id={p.id} position={Position.Bottom} style={{ left, width: 10, height: 10, background: p.target ? undefined : '#dc2626' }} data-testid={`handle-${p.id}`} />
          </Box>
        );
      })}
    </Box>
  );
}

function view<T extends JourneyNodeType>() {
  return memo(function JourneyNodeView({ id, data, selected }: NodeProps<JourneyFlowNode>) {
    return <NodeShell id={id} node={data.node as NodeOf<T>} selected={!!selected} />;
  });
}

/** React Flow's nodeTypes: one component per journey node type. */
export const journeyNodeTypes = {
  entry: view<'entry'>(),
  delay: view<'delay'>(),
  wait: view<'wait'>(),
  split: view<'split'>(),
  experiment: view<'experiment'>(),
  message: view<'message'>(),
  update_profile: view<'update_profile'>(),
  webhook: view<'webhook'>(),
  exit: view<'exit'>(),
} satisfies Record<JourneyNodeType, unknown>;

export function PaletteItem({ type, children }: { type: JourneyNodeType; children?: ReactNode }) {
  const t = useT();
  const Icon = nodeIcons[type];
  return (
    <Box
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData('application/x-journey-node', type);
        e.dataTransfer.effectAllowed = 'move';
      }}
      data-testid={`palette-${type}`}
      sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1, py: 0.75, border: 1, borderColor: 'divider', borderLeft: 4, borderLeftColor: nodeColors[type], borderRadius: 1, cursor: 'grab', bgcolor: 'background.paper', userSelect: 'none', '&:hover': { boxShadow: 2 } }}
    >
      <Icon sx={{ color: nodeColors[type], fontSize: 18 }} />
      <Typography variant="body2">{t(`journey.node.${type}` as MessageKey)}</Typography>
      {children}
    </Box>
  );
}

