import { describe, expect, it } from 'vitest';
import { writeBackPatch, writeBackValue } from './write-back.ts';

const fields = { rfmSegment: 'cdpRfm', clv: 'cdpClv', segments: 'cdpSegments', churnRisk: 'cdpChurn' };

describe('write-back', () => {
  it.each([
    [['vip', 'b2b', ' '], 'b2b,vip'],
    [12.5, 12.5],
    [Number.NaN, undefined],
    ['champions', 'champions'],
    [true, true],
    [null, undefined],
    [{ a: 1 }, '{"a":1}'],
  ])('writeBackValue(%o) = %o', (v, out) => {
    expect(writeBackValue(v)).toEqual(out);
  });

  it.each([
    ['all new', { rfmSegment: 'champions', clv: 1234.5, segments: ['vip'] }, undefined, { cdpRfm: 'champions', cdpClv: 1234.5, cdpSegments: 'vip' }],
    ['nothing changed', { rfmSegment: 'champions', clv: 1234.5, segments: ['vip'] }, { cdpRfm: 'champions', cdpClv: '1234.5', cdpSegments: 'vip' }, undefined],
    ['only the changed field', { rfmSegment: 'at_risk', clv: 1234.5 }, { cdpRfm: 'champions', cdpClv: 1234.5 }, { cdpRfm: 'at_risk' }],
    ['a value the CDP lacks is never cleared', { clv: 10 }, { cdpRfm: 'champions', cdpClv: null }, { cdpClv: 10 }],
    ['unconfigured CDP fields are ignored', { lifecycleState: 'active' }, {}, undefined],
    ['segment order does not matter', { segments: ['b', 'a'] }, { cdpSegments: 'a,b' }, undefined],
  ])('%s', (_name, values, current, patch) => {
    expect(writeBackPatch(fields, values, current)).toEqual(patch);
  });
});
