// Canvas edit operations: insert on an edge, connect/disconnect, delete, edge hit-testing, undo/redo, loading drafts.
import { describe, expect, it } from 'vitest';
import {
  addNode,
  type CanvasDoc,
  connect,
  defaultNode,
  docFromDraft,
  draftOf,
  edgeNear,
  historyOf,
  insertOnEdge,
  newNodeId,
  pushHistory,
  redo,
  removeEdges,
  removeNodes,
  replacePresent,
  undo,
} from '#app/components/journeys/canvas-ops.ts';
import { NODE_TYPES, validateJourney } from '#core/journeys/index.ts';

const base = (): CanvasDoc => ({
  nodes: [
    { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'exit' },
    { id: 'exit', type: 'exit' },
  ],
  settings: {},
  layout: { entry: { x: 0, y: 0 }, exit: { x: 0, y: 320 } },
});
const ctx = (templates: { id: string; channel: string }[] = []) => ({ templates, segments: [] });

describe('canvas operations', () => {
  it('every default node passes the node schema once its marketer-only fields are filled', () => {
    for (const type of NODE_TYPES) {
      const n = defaultNode(type, `${type}-x`);
      expect(n.type).toBe(type);
      expect(n.id).toBe(`${type}-x`);
    }
    const msg = defaultNode('message', 'm');
    const doc = insertOnEdge(base(), { source: 'entry', port: 'next', target: 'exit' }, msg, { x: 0, y: 160 });
    const before = validateJourney(draftOf(doc), ctx([{ id: 'tpl', channel: 'email' }]));
    expect(before.ok).toBe(false);
    expect(before.errors.every((e) => e.nodeId === 'm')).toBe(true);
    const filled = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'm' ? { ...n, templateId: 'tpl' } : n)) };
    expect(validateJourney(draftOf(filled), ctx([{ id: 'tpl', channel: 'email' }])).ok).toBe(true);
  });

  it('inserts a dropped node between the two ends of an edge', () => {
    const delay = defaultNode('delay', 'delay-1');
    const doc = insertOnEdge(base(), { source: 'entry', port: 'next', target: 'exit' }, delay, { x: 5, y: 160 });
    expect(doc.nodes.find((n) => n.id === 'entry')).toMatchObject({ next: 'delay-1' });
    expect(doc.nodes.find((n) => n.id === 'delay-1')).toMatchObject({ next: 'exit' });
    expect(doc.layout['delay-1']).toEqual({ x: 5, y: 160 });
    // A branching node continues through its first port; the others stay open for the marketer.
    const wait = defaultNode('wait', 'wait-1');
    const w = insertOnEdge(doc, { source: 'delay-1', port: 'next', target: 'exit' }, wait, { x: 0, y: 240 });
    expect(w.nodes.find((n) => n.id === 'wait-1')).toMatchObject({ conditions: [{ id: 'matched', next: 'exit' }], timeoutNext: null });
    // An exit has no ports: the path ends there and the old target is left for the marketer to reconnect or delete.
    const x = insertOnEdge(base(), { source: 'entry', port: 'next', target: 'exit' }, defaultNode('exit', 'exit-2'), { x: 0, y: 0 });
    expect(x.nodes.find((n) => n.id === 'entry')).toMatchObject({ next: 'exit-2' });
  });

  it('connects ports (one target each), ignores self loops and unknown ports, and disconnects', () => {
    let doc = addNode(base(), defaultNode('split', 's'), { x: 0, y: 0 });
    doc = connect(doc, 's', 'branch-1', 'exit');
    doc = connect(doc, 's', 'else', 'exit');
    expect(doc.nodes.find((n) => n.id === 's')).toMatchObject({ branches: [{ next: 'exit' }], elseNext: 'exit' });
    expect(connect(doc, 's', 'else', 's')).toBe(doc);
    expect(connect(doc, 's', 'nope', 'exit')).toBe(doc);
    expect(connect(doc, 'missing', 'next', 'exit')).toBe(doc);
    doc = removeEdges(doc, [{ source: 's', port: 'else' }]);
    expect(doc.nodes.find((n) => n.id === 's')).toMatchObject({ elseNext: null, branches: [{ next: 'exit' }] });
  });

  it('deleting nodes unhooks every port that pointed at them and drops their layout', () => {
    const doc = insertOnEdge(base(), { source: 'entry', port: 'next', target: 'exit' }, defaultNode('delay', 'd'), { x: 0, y: 0 });
    const out = removeNodes(doc, ['d']);
    expect(out.nodes.map((n) => n.id)).toEqual(['entry', 'exit']);
    expect(out.nodes[0]).toMatchObject({ next: null });
    expect(out.layout).not.toHaveProperty('d');
    expect(removeNodes(doc, ['nothing'])).toBe(doc);
    expect(validateJourney(draftOf(out), ctx()).errors).toContainEqual(expect.objectContaining({ nodeId: 'entry', code: 'port_unconnected' }));
  });

  it('finds the edge under a drop point', () => {
    const boxes = { a: { x: 0, y: 0, width: 200, height: 80 }, b: { x: 0, y: 300, width: 200, height: 80 }, c: { x: 400, y: 300, width: 200, height: 80 } };
    const edges = [
      { id: 'a:next', source: 'a', target: 'b' },
      { id: 'a:else', source: 'a', target: 'c' },
    ];
    expect(edgeNear(edges, boxes, { x: 100, y: 190 })).toBe('a:next');
    expect(edgeNear(edges, boxes, { x: 300, y: 190 })).toBe('a:else');
    expect(edgeNear(edges, boxes, { x: -300, y: 190 })).toBeNull();
  });

  it('undoes and redoes, and a new edit clears the redo stack', () => {
    let h = historyOf(1);
    h = pushHistory(h, 2);
    h = pushHistory(h, 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = undo(h);
    expect(h.present).toBe(1);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(2);
    h = pushHistory(h, 9);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(replacePresent(h, 10)).toEqual({ past: [1, 2], present: 10, future: [] });
    let long = historyOf(0);
    for (let i = 1; i <= 300; i++) long = pushHistory(long, i, 50);
    expect(long.past.length).toBe(50);
  });

  it('gives new nodes readable ids that do not collide', () => {
    const rnd = (() => {
      const vals = ['abcdef12', 'abcdef12', 'zz-9'];
      return () => vals.shift() ?? 'last';
    })();
    const first = newNodeId('update_profile', [], rnd);
    expect(first).toBe('update-profile-abcdef');
    expect(newNodeId('update_profile', [first], rnd)).toBe('update-profile-zz9');
  });

  it('loads drafts of any shape without throwing', () => {
    expect(docFromDraft('text', {}, NODE_TYPES).doc.nodes).toEqual([]);
    const r = docFromDraft({ nodes: [{ id: 'a', type: 'exit' }, { id: 3 }, { id: 'b', type: 'teleport' }], settings: [] }, {}, NODE_TYPES);
    expect(r.doc.nodes.map((n) => n.id)).toEqual(['a']);
    expect(r.doc.settings).toEqual({});
    expect(r.dropped).toBe(2);
  });
});
