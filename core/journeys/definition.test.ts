import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { journeyDefinition, journeyNode, portsOf, withPort } from './definition.ts';

describe('journey definition', () => {
  it('has a JSON Schema for the API docs, sharing the segment rule', () => {
    const schema = z.toJSONSchema(journeyDefinition, { io: 'input' }) as { $defs?: Record<string, unknown> };
    expect(Object.keys(schema.$defs ?? {})).toContain('SegmentRule');
  });

  it('lists ports in display order and sets them by id', () => {
    const wait = journeyNode.parse({
      id: 'w',
      type: 'wait',
      conditions: [
        { kind: 'event', id: 'bought', match: { event: 'Order Completed' }, next: 'x' },
        { kind: 'segment', id: 'vip', segmentId: 's', change: 'entered' },
      ],
      timeoutSeconds: 60,
    });
    expect(portsOf(wait)).toEqual([
      { id: 'bought', label: 'Order Completed', target: 'x' },
      { id: 'vip', label: 'entered s', target: null },
      { id: 'timeout', label: 'timeout', target: null },
    ]);
    const moved = withPort(withPort(wait, 'vip', 'y'), 'timeout', 'z');
    expect(portsOf(moved).map((p) => p.target)).toEqual(['x', 'y', 'z']);
    expect(portsOf(wait).map((p) => p.target)).toEqual(['x', null, null]);
    expect(() => withPort(wait, 'else', 'x')).toThrow('no port "else"');
    expect(() => withPort(journeyNode.parse({ id: 'e', type: 'exit' }), 'next', 'x')).toThrow();
  });

  it('shows the holdout port only when there is a holdout', () => {
    const exp = (holdoutPercent: number) => journeyNode.parse({ id: 'x', type: 'experiment', variants: [{ id: 'a', weight: 100 }], holdoutPercent });
    expect(portsOf(exp(0)).map((p) => p.id)).toEqual(['a']);
    expect(portsOf(exp(5)).map((p) => p.id)).toEqual(['a', 'holdout']);
  });

  it('fills settings defaults', () => {
    const def = journeyDefinition.parse({ nodes: [{ id: 'e', type: 'entry', trigger: { kind: 'api' } }] });
    expect(def.schemaVersion).toBe(1);
    expect(def.settings).toEqual({ reEntry: { mode: 'never' }, exitCriteria: [], holdoutPercent: 0, defaultTimeZone: 'UTC', frequencyCap: { respectGlobalCaps: true } });
  });
});
