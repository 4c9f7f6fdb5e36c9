import { describe, expect, it } from 'vitest';
import { type JourneyDefinitionInput, journeyDefinition } from './definition.ts';
import { nextNode } from './graph.ts';
import { abandonedCartJourney, birthdayJourney, JOURNEY_TEMPLATES, purchaseAnniversaryJourney, reEngagementJourney, welcomeSeriesJourney } from './templates.ts';
import { type JourneyError, validateJourney } from './validate.ts';

const ctx = {
  templates: [
    { id: 't-email', channel: 'email' },
    { id: 't-email-2', channel: 'email' },
    { id: 't-email-3', channel: 'email' },
    { id: 't-wa', channel: 'whatsapp' },
  ],
  segments: ['seg-new', 'seg-at-risk'],
};

const base = (): JourneyDefinitionInput => ({
  nodes: [
    { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'send' },
    { id: 'send', type: 'message', channel: 'email', templateId: 't-email', next: 'exit' },
    { id: 'exit', type: 'exit' },
  ],
});

const codes = (errors: JourneyError[]) => errors.map((e) => [e.code, e.nodeId ?? e.path, ...(e.port ? [e.port] : [])]);
const check = (def: JourneyDefinitionInput) => {
  const r = validateJourney(def, ctx);
  return r.ok ? [] : codes(r.errors);
};

describe('ready-made journeys', () => {
  const built = [
    ['abandoned cart', abandonedCartJourney({ firstReminderTemplateId: 't-email', secondReminderTemplateId: 't-email-2' })],
    ['welcome', welcomeSeriesJourney({ newCustomersSegmentId: 'seg-new', welcomeTemplateId: 't-email', tipsTemplateId: 't-email-2', secondOrderTemplateId: 't-email-3' })],
    ['re-engagement on segment', reEngagementJourney({ trigger: { kind: 'segment', atRiskSegmentId: 'seg-at-risk' }, offerEmailTemplateId: 't-email', plainEmailTemplateId: 't-email-2', whatsappTemplateId: 't-wa' })],
    ['re-engagement on alert', reEngagementJourney({ trigger: { kind: 'event' }, offerEmailTemplateId: 't-email', plainEmailTemplateId: 't-email-2', whatsappTemplateId: 't-wa' })],
    ['birthday', birthdayJourney({ templateId: 't-email' })],
    ['purchase anniversary', purchaseAnniversaryJourney({ templateId: 't-email', localHour: 11 })],
  ] as const;
  it.each(built)('%s passes validation', (_name, def) => {
    expect(validateJourney(def, ctx)).toEqual({ ok: true, definition: def, errors: [] });
  });

  it('are all listed', () => {
    expect(JOURNEY_TEMPLATES.map((t) => t.id)).toEqual(['abandoned-cart', 'welcome-series', 're-engagement', 'birthday', 'purchase-anniversary']);
  });

  it('abandoned cart: keyed purchase wait of 1 h, two emails 24 h apart, purchase exits everywhere', () => {
    const def = abandonedCartJourney({ firstReminderTemplateId: 't-email', secondReminderTemplateId: 't-email-2' });
    expect(def.nodes[0]).toMatchObject({ type: 'entry', trigger: { kind: 'event', correlationKey: 'cart_id' } });
    expect(nextNode(def, 'entry', 'next')).toBe('wait-purchase');
    expect(def.nodes.find((n) => n.id === 'wait-purchase')).toMatchObject({ timeoutSeconds: 3600, conditions: [{ match: { keyed: true } }] });
    expect(nextNode(def, 'wait-purchase', 'purchased')).toBe('exit-purchased');
    expect(nextNode(def, 'wait-purchase', 'timeout')).toBe('email-reminder-1');
    expect(nextNode(def, 'email-reminder-1', 'next')).toBe('delay-24h');
    expect(nextNode(def, 'delay-24h', 'next')).toBe('email-reminder-2');
    expect(def.settings.exitCriteria).toEqual([{ kind: 'event', match: { event: 'Order Completed', keyed: true, where: [] } }]);
  });

  it('report templates and segments the tenant does not have', () => {
    const def = welcomeSeriesJourney({ newCustomersSegmentId: 'seg-x', welcomeTemplateId: 't-wa', tipsTemplateId: 'nope', secondOrderTemplateId: 't-email' });
    expect(check(def)).toEqual([
      ['template_channel_mismatch', 'email-welcome'],
      ['template_missing', 'email-tips'],
      ['segment_missing', 'entry'],
      ['segment_missing', 'settings.exitCriteria.0.segmentId'],
    ]);
  });
});

describe('validateJourney', () => {
  it('maps schema errors to the node and the path inside it', () => {
    const def = base();
    (def.nodes[1] as { channel: string }).channel = 'fax';
    const r = validateJourney(def, ctx);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([expect.objectContaining({ nodeId: 'send', path: 'channel', code: 'schema' })]);
    const r2 = validateJourney({ nodes: [], settings: { holdoutPercent: 101 } }, ctx);
    expect(!r2.ok && r2.errors.map((e) => [e.path, e.code])).toEqual([
      ['nodes', 'schema'],
      ['settings.holdoutPercent', 'schema'],
    ]);
  });

  const cases: [string, (d: JourneyDefinitionInput) => void, unknown[][]][] = [
    ['no entry', (d) => (d.nodes[0] = { id: 'entry', type: 'exit' }), [['entry_missing', 'nodes']]],
    [
      'two entries',
      (d) => d.nodes.push({ id: 'entry2', type: 'entry', trigger: { kind: 'api' }, next: 'exit' }),
      [['entry_multiple', 'entry2']],
    ],
    ['duplicate id', (d) => d.nodes.push({ id: 'exit', type: 'exit' }), [['duplicate_node_id', 'exit']]],
    ['unconnected port', (d) => ((d.nodes[1] as { next: null }).next = null), [['port_unconnected', 'send', 'next'], ['unreachable', 'exit']]],
    ['missing target', (d) => ((d.nodes[1] as { next: string }).next = 'ghost'), [['port_target_missing', 'send', 'next'], ['unreachable', 'exit']]],
    ['edge to entry', (d) => ((d.nodes[1] as { next: string }).next = 'entry'), [['port_to_entry', 'send', 'next'], ['unreachable', 'exit']]],
    ['self loop', (d) => ((d.nodes[1] as { next: string }).next = 'send'), [['port_to_self', 'send', 'next'], ['unreachable', 'exit']]],
    [
      'cycle',
      (d) => {
        (d.nodes[1] as { next: string }).next = 'delay';
        d.nodes.push({ id: 'delay', type: 'delay', delay: { kind: 'duration', seconds: 60 }, next: 'send' });
      },
      [['cycle', 'delay'], ['unreachable', 'exit']],
    ],
    ['unreachable', (d) => d.nodes.push({ id: 'orphan', type: 'exit' }), [['unreachable', 'orphan']]],
    [
      'weights',
      (d) => {
        d.nodes[0] = { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'ab' };
        d.nodes.push({ id: 'ab', type: 'experiment', variants: [{ id: 'a', weight: 60, next: 'send' }, { id: 'b', weight: 30, next: 'exit' }], holdoutPercent: 5 });
      },
      [['port_unconnected', 'ab', 'holdout'], ['weights_sum', 'ab']],
    ],
    [
      'reserved and duplicate branch ids',
      (d) => {
        d.nodes[0] = { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'split' };
        d.nodes.push({
          id: 'split',
          type: 'split',
          branches: [
            { id: 'else', condition: { kind: 'consent', channel: 'email' }, next: 'send' },
            { id: 'x', condition: { kind: 'consent', channel: 'sms' }, next: 'send' },
            { id: 'x', condition: { kind: 'consent', channel: 'push' }, next: 'send' },
          ],
          elseNext: 'exit',
        });
      },
      [['reserved_port_id', 'split', 'else'], ['duplicate_port_id', 'split', 'x']],
    ],
    [
      'keyed wait without keyed entry',
      (d) => {
        (d.nodes[1] as { next: string }).next = 'wait';
        d.nodes.push({ id: 'wait', type: 'wait', conditions: [{ kind: 'event', id: 'bought', match: { event: 'Order Completed', keyed: true }, next: 'exit' }], timeoutSeconds: 60, timeoutNext: 'exit' });
      },
      [['keyed_wait_without_keyed_entry', 'wait', 'bought']],
    ],
    [
      'segment in a split condition',
      (d) => {
        d.nodes[0] = { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'split' };
        d.nodes.push({ id: 'split', type: 'split', branches: [{ id: 'vip', condition: { kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: 'seg-vip' }] }, next: 'send' }], elseNext: 'exit' });
      },
      [['segment_missing', 'split']],
    ],
    ['bad time zone', (d) => (d.settings = { defaultTimeZone: 'Mars/Olympus' }), [['invalid_time_zone', 'settings.defaultTimeZone']]],
  ];
  it.each(cases)('%s', (_name, mutate, expected) => {
    const d = base();
    mutate(d);
    expect(check(d)).toEqual(expected);
  });

  it('accepts a keyed wait after a keyed event entry', () => {
    const d = base();
    d.nodes[0] = { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Product Added', correlationKey: 'cart_id' }, next: 'send' };
    (d.nodes[1] as { next: string }).next = 'wait';
    d.nodes.push({ id: 'wait', type: 'wait', conditions: [{ kind: 'event', id: 'bought', match: { event: 'Order Completed', keyed: true }, next: 'exit' }], timeoutSeconds: 60, timeoutNext: 'exit' });
    expect(check(d)).toEqual([]);
  });

  it('nextNode reads ports and refuses unknown ones', () => {
    const def = journeyDefinition.parse(base());
    expect(nextNode(def, 'send', 'next')).toBe('exit');
    expect(() => nextNode(def, 'send', 'timeout')).toThrow('no port "timeout"');
    expect(() => nextNode(def, 'ghost', 'next')).toThrow('no node ghost');
  });
});
