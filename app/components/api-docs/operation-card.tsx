import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip, { type ChipProps } from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useT } from '#app/i18n/i18n-context.tsx';
import { monospace } from '../theme.ts';
import { schemaAnchor } from './anchors.ts';
import type { OperationView, SchemaBlock } from './api-docs-view.ts';
import { InlineCodeText } from './inline-code-text.tsx';
import { JsonSchemaView, refOnlyName } from './json-schema-view.tsx';

const methodColors: Record<string, ChipProps['color']> = { get: 'success', post: 'primary', put: 'warning', patch: 'warning', delete: 'error' };

function statusColor(status: string): ChipProps['color'] {
  if (status.startsWith('2')) return 'success';
  if (status.startsWith('4')) return 'warning';
  if (status.startsWith('5')) return 'error';
  return 'default';
}

export function MethodChip({ method }: { method: string }) {
  return (
    <Chip
      label={method.toUpperCase()}
      color={methodColors[method] ?? 'default'}
      size="small"
      sx={{ fontFamily: monospace, fontWeight: 700, minWidth: 64, borderRadius: 1 }}
    />
  );
}

function Subheading({ children }: { children: ReactNode }) {
  return (
    <Typography variant="overline" component="h4" color="text.secondary" sx={{ display: 'block', mt: 2, mb: 1, fontWeight: 700 }}>
      {children}
    </Typography>
  );
}

function SchemaBlocks({ blocks }: { blocks: SchemaBlock[] }) {
  return (
    <>
      {blocks.map((block) => {
        const refName = refOnlyName(block.schema);
        return (
          <Box key={block.contentType} sx={{ mt: 1 }}>
            <Typography variant="caption" color="text.secondary" sx={{ fontFamily: monospace }}>
              {block.contentType}
              {refName ? ' → ' : null}
              {/* A bare reference reads better as a link than as a one-line code block. */}
              {refName ? (
                <Link component="a" href={`#${schemaAnchor(refName)}`} underline="hover" sx={{ fontFamily: monospace, fontWeight: 600 }}>
                  {refName}
                </Link>
              ) : null}
            </Typography>
            {block.schema === undefined || refName ? null : <JsonSchemaView schema={block.schema} label={block.contentType} />}
          </Box>
        );
      })}
    </>
  );
}

const SIMPLE_KEYWORDS = ['default', 'minimum', 'maximum', 'minLength', 'maxLength', 'enum'] as const;

/** A parameter's schema in one line, e.g. "integer · default 50 · minimum 1 · maximum 200"; JSON when it is not that simple. */
function schemaSummary(schema: unknown): string {
  if (schema === null || typeof schema !== 'object') return '';
  const { type, format, ...rest } = schema as Record<string, unknown>;
  const others = Object.keys(rest).filter((k) => !(SIMPLE_KEYWORDS as readonly string[]).includes(k));
  if (typeof type !== 'string' || others.length > 0) return JSON.stringify(schema);
  const head = typeof format === 'string' ? `${type} (${format})` : type;
  const constraints = SIMPLE_KEYWORDS.filter((k) => rest[k] !== undefined).map((k) => `${k} ${Array.isArray(rest[k]) ? (rest[k] as unknown[]).join(' | ') : JSON.stringify(rest[k])}`);
  return [head, ...constraints].join(' · ');
}

function ParametersTable({ parameters }: { parameters: OperationView['parameters'] }) {
  const t = useT();
  return (
    <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5 }}>
      <Table size="small" aria-label={t('apiDocs.parameters')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('apiDocs.param.name')}</TableCell>
            <TableCell>{t('apiDocs.param.in')}</TableCell>
            <TableCell>{t('apiDocs.param.schema')}</TableCell>
            <TableCell>{t('apiDocs.param.description')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {parameters.map((p) => (
            <TableRow key={`${p.in}:${p.name}`}>
              <TableCell sx={{ fontFamily: monospace, whiteSpace: 'nowrap' }}>
                {p.name}
                {p.required ? <Typography component="span" color="error.main" title={t('apiDocs.required')}> *</Typography> : null}
              </TableCell>
              <TableCell>{p.in}</TableCell>
              <TableCell sx={{ fontFamily: monospace, fontSize: 12, wordBreak: 'break-word' }}>{schemaSummary(p.schema)}</TableCell>
              <TableCell>{p.description ? <InlineCodeText text={p.description} /> : '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

export function OperationCard({ operation }: { operation: OperationView }) {
  const t = useT();
  return (
    <Card id={operation.anchor} component="article" sx={{ scrollMarginTop: 88 }} data-testid="api-operation">
      <CardContent>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
          <MethodChip method={operation.method} />
          <Typography component="h3" sx={{ fontFamily: monospace, fontWeight: 600, fontSize: 16, wordBreak: 'break-all' }}>
            {operation.path}
          </Typography>
        </Box>
        {operation.summary ? (
          <Typography variant="subtitle1" sx={{ mt: 1.5, fontWeight: 600 }}>
            {operation.summary}
          </Typography>
        ) : null}
        {operation.description ? (
          <Typography color="text.secondary" sx={{ mt: 0.5 }}>
            <InlineCodeText text={operation.description} />
          </Typography>
        ) : null}
        {operation.parameters.length > 0 ? (
          <>
            <Subheading>{t('apiDocs.parameters')}</Subheading>
            <ParametersTable parameters={operation.parameters} />
          </>
        ) : null}
        {operation.requestBody ? (
          <>
            <Subheading>
              {t('apiDocs.requestBody')}
              {operation.requestBody.required ? ` · ${t('apiDocs.required')}` : ''}
            </Subheading>
            {operation.requestBody.description ? <InlineCodeText text={operation.requestBody.description} /> : null}
            <SchemaBlocks blocks={operation.requestBody.content} />
          </>
        ) : null}
        <Subheading>{t('apiDocs.responses')}</Subheading>
        {operation.responses.map((response, i) => (
          <Box key={response.status}>
            {i > 0 ? <Divider sx={{ my: 1.5 }} /> : null}
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <Chip label={response.status} color={statusColor(response.status)} size="small" variant="outlined" sx={{ fontFamily: monospace, fontWeight: 700 }} />
              {response.description ? (
                <Typography variant="body2">
                  <InlineCodeText text={response.description} />
                </Typography>
              ) : null}
            </Box>
            <SchemaBlocks blocks={response.content} />
          </Box>
        ))}
      </CardContent>
    </Card>
  );
}
