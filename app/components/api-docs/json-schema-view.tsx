import Box from '@mui/material/Box';
import { Fragment, type ReactNode } from 'react';
import { monospace } from '../theme.ts';
import { schemaAnchor } from './anchors.ts';

const COMPONENT_REF = '#/components/schemas/';
const pad = (depth: number) => '  '.repeat(depth);

/** The component schema name when `schema` is nothing but a `$ref` to one. */
export function refOnlyName(schema: unknown): string | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const entries = Object.entries(schema);
  const [key, value] = entries[0] ?? [];
  if (entries.length !== 1 || key !== '$ref' || typeof value !== 'string' || !value.startsWith(COMPONENT_REF)) return undefined;
  return value.slice(COMPONENT_REF.length);
}

function RefLink({ target }: { target: string }) {
  if (!target.startsWith(COMPONENT_REF)) return <span style={{ color: '#86efac' }}>{JSON.stringify(target)}</span>;
  const name = target.slice(COMPONENT_REF.length);
  // A plain anchor: jumping within the page needs no router navigation.
  return (
    <a href={`#${schemaAnchor(name)}`} style={{ color: '#93c5fd' }}>
      {JSON.stringify(target)}
    </a>
  );
}

function Scalar({ value }: { value: unknown }) {
  const color = typeof value === 'string' ? '#86efac' : typeof value === 'number' ? '#fdba74' : '#c4b5fd';
  return <span style={{ color }}>{JSON.stringify(value) ?? 'null'}</span>;
}

/** JSON.stringify(value, null, 2) as React nodes, with `$ref`s to component schemas turned into links. */
function JsonNode({ value, depth }: { value: unknown; depth: number }): ReactNode {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return (
      <>
        {'[\n'}
        {value.map((item, i) => (
          <Fragment key={i}>
            {pad(depth + 1)}
            <JsonNode value={item} depth={depth + 1} />
            {i < value.length - 1 ? ',\n' : '\n'}
          </Fragment>
        ))}
        {pad(depth)}]
      </>
    );
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return (
      <>
        {'{\n'}
        {entries.map(([key, item], i) => (
          <Fragment key={key}>
            {pad(depth + 1)}
            <span style={{ color: '#e2e8f0' }}>{JSON.stringify(key)}</span>
            {': '}
            {key === '$ref' && typeof item === 'string' ? <RefLink target={item} /> : <JsonNode value={item} depth={depth + 1} />}
            {i < entries.length - 1 ? ',\n' : '\n'}
          </Fragment>
        ))}
        {pad(depth)}
        {'}'}
      </>
    );
  }
  return <Scalar value={value} />;
}

export function JsonSchemaView({ schema, label }: { schema: unknown; label?: string }) {
  return (
    <Box
      component="pre"
      aria-label={label}
      sx={{ m: 0, p: 1.5, borderRadius: 1.5, bgcolor: '#0f172a', color: '#cbd5e1', fontFamily: monospace, fontSize: 12.5, lineHeight: 1.55, overflow: 'auto', maxHeight: 420 }}
    >
      <JsonNode value={schema} depth={0} />
    </Box>
  );
}
