import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JourneyNode, journeyNode, portsOf } from './definition.ts';
import { autoLayout, fromFlow, toFlow } from './flow.ts';
import { abandonedCartJourney, reEngagementJourney } from './templates.ts';

/** Random definitions: an entry first, then nodes of every type whose ports point forward (a DAG) or are unconnected. */
const arbNodes: fc.Arbitrary<JourneyNode[]> = fc.integer({ min: 1, max: 12 }).chain((n) => {
  const targetAfter = (i: number): fc.Arbitrary<string | null> => (i >= n ? fc.constant(null) : fc.option(fc.integer({ min: i + 1, max: n }).map((j) => `n${j}`), { nil: null, freq: 4 }));
  const bodyAt = (i: number): fc.Arbitrary<unknown> =>
    fc.oneof(
      fc.record({ type: fc.constant('delay'), delay: fc.constant({ kind: 'duration', seconds: 60 }), next: targetAfter(i) }),
      fc.record({ type: fc.constant('message'), channel: fc.constantFrom('email', 'sms'), templateId: fc.constant('t'), next: targetAfter(i) }),
      fc.record({
        type: fc.constant('wait'),
        conditions: fc.array(targetAfter(i), { minLength: 1, maxLength: 3 }).map((ts) => ts.map((t, k) => ({ kind: 'event', id: `c${k}`, match: { event: 'E' }, next: t }))),
        timeoutSeconds: fc.constant(60),
        timeoutNext: targetAfter(i),
      }),
      fc.record({
        type: fc.constant('split'),
        branches: fc.array(targetAfter(i), { minLength: 1, maxLength: 3 }).map((ts) => ts.map((t, k) => ({ id: `b${k}`, condition: { kind: 'consent', channel: 'email' }, next: t }))),
        elseNext: targetAfter(i),
      }),
      fc.record({
        type: fc.constant('experiment'),
        variants: fc.array(targetAfter(i), { minLength: 1, maxLength: 3 }).map((ts) => ts.map((t, k) => ({ id: `v${k}`, weight: k === 0 ? 100 : 0, next: t }))),
        holdoutPercent: fc.constantFrom(0, 10),
        holdoutNext: targetAfter(i),
      }),
      fc.record({ type: fc.constant('exit') }),
    );
  const nodes = [fc.constant({ type: 'entry', trigger: { kind: 'api' }, next: n >= 1 ? 'n1' : null }), ...Array.from({ length: n }, (_, k) => bodyAt(k + 1))];
  return fc.tuple(...nodes).map((ns) => ns.map((x, i) => journeyNode.parse({ id: `n${i}`, ...(x as object) })));
});

describe('toFlow / fromFlow', () => {
  it('round-trip any definition and layout', () => {
    fc.assert(
      fc.property(arbNodes, (nodes) => {
        const layout = autoLayout({ nodes });
        const flow = toFlow({ nodes }, layout);
        const back = fromFlow(flow.nodes, flow.edges);
        // The experiment's holdout target is kept only while it is a port; without a holdout it is not an edge.
        const normalize = (ns: JourneyNode[]) => ns.map((n) => (n.type === 'experiment' && n.holdoutPercent === 0 ? { ...n, holdoutNext: null } : n));
        expect(normalize(back.nodes)).toEqual(normalize(nodes));
        expect(back.layout).toEqual(layout);
        // One edge per connected port, with the port as the source handle.
        const connected = nodes.flatMap((n) => portsOf(n).filter((p) => p.target !== null));
        expect(flow.edges).toHaveLength(connected.length);
      }),
    );
  });

  it('moves a connection when an edge is re-targeted on the canvas', () => {
    const def = abandonedCartJourney({ firstReminderTemplateId: 'a', secondReminderTemplateId: 'b' });
    const flow = toFlow(def);
    const edges = flow.edges.map((e) => (e.id === 'wait-purchase:timeout' ? { ...e, target: 'email-reminder-2' } : e)).filter((e) => e.id !== 'email-reminder-1:next');
    const back = fromFlow(flow.nodes, edges);
    const wait = back.nodes.find((n) => n.id === 'wait-purchase');
    expect(wait?.type === 'wait' && wait.timeoutNext).toBe('email-reminder-2');
    const first = back.nodes.find((n) => n.id === 'email-reminder-1');
    expect(first?.type === 'message' && first.next).toBeNull();
    expect(() => fromFlow(flow.nodes, [{ source: 'exit', sourceHandle: 'next', target: 'entry' }])).toThrow('no port');
  });

  it('labels branch edges and carries node data', () => {
    const def = reEngagementJourney({ trigger: { kind: 'event' }, offerEmailTemplateId: 'a', plainEmailTemplateId: 'b', whatsappTemplateId: 'c' });
    const { nodes, edges } = toFlow(def);
    expect(nodes.find((n) => n.id === 'experiment')).toMatchObject({ type: 'experiment', data: { node: { holdoutPercent: 10 } } });
    expect(edges.filter((e) => e.source === 'experiment').map((e) => [e.sourceHandle, e.target, e.label])).toEqual([
      ['offer', 'email-offer', 'With offer (50%)'],
      ['plain', 'email-plain', 'Without offer (50%)'],
      ['holdout', 'exit', 'holdout (10%)'],
    ]);
  });
});

describe('autoLayout', () => {
  it('places every edge of a DAG downwards and no two nodes on the same spot', () => {
    fc.assert(
      fc.property(arbNodes, (nodes) => {
        const layout = autoLayout({ nodes });
        expect(Object.keys(layout).sort()).toEqual(nodes.map((n) => n.id).sort());
        for (const n of nodes) for (const p of portsOf(n)) if (p.target) expect(layout[p.target]!.y).toBeGreaterThan(layout[n.id]!.y);
        const spots = new Set(Object.values(layout).map((p) => `${p.x},${p.y}`));
        expect(spots.size).toBe(nodes.length);
        expect(autoLayout({ nodes })).toEqual(layout);
      }),
    );
  });

  it('lays out the abandoned cart by longest path', () => {
    const def = abandonedCartJourney({ firstReminderTemplateId: 'a', secondReminderTemplateId: 'b' });
    const layout = autoLayout(def, { rowGap: 100, columnGap: 200 });
    const row = (id: string) => layout[id]!.y / 100;
    expect([row('entry'), row('wait-purchase'), row('email-reminder-1'), row('exit-purchased'), row('delay-24h'), row('email-reminder-2'), row('exit')]).toEqual([0, 1, 2, 2, 3, 4, 5]);
    // The timeout branch (first in port order after the purchase branch) shares row 2 with the purchase exit.
    expect(layout['exit-purchased']!.x).toBe(-100);
    expect(layout['email-reminder-1']!.x).toBe(100);
  });

  it('still lays out a cyclic draft', () => {
    const nodes = [
      journeyNode.parse({ id: 'e', type: 'entry', trigger: { kind: 'api' }, next: 'a' }),
      journeyNode.parse({ id: 'a', type: 'delay', delay: { kind: 'duration', seconds: 1 }, next: 'b' }),
      journeyNode.parse({ id: 'b', type: 'delay', delay: { kind: 'duration', seconds: 1 }, next: 'a' }),
    ];
    expect(autoLayout({ nodes })).toEqual({ e: { x: 0, y: 0 }, a: { x: 0, y: 160 }, b: { x: 0, y: 320 } });
  });
});
