// Quality of identity resolution on public data with known duplicates, through the real pipeline:
// POST /api/v1/profiles → ingest workflow → resolution → customers. Pairwise precision and recall of the
// resulting customers against the truth. Targets: precision ≥ 0.99 everywhere, recall ≥ 0.95 on Febrl 2.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profileRecord, type ProfileRecord } from '#core/ingest/profiles.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { febrlDate } from '../support/febrl.ts';
import { eventually } from '../support/temporal.ts';

const data = (...p: string[]) => path.resolve('tests', 'fixtures', 'identity', ...p);

function csv(file: string) {
  const [head = '', ...lines] = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
  const header = head.split(',').map((h) => h.trim());
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v.trim()])) as Record<string, string>);
}

const birth = (iso: string | null) => (iso && profileRecord.shape.birthDate.safeParse(iso).success ? iso : undefined);
const opt = (v: string | undefined) => (v ? v : undefined);

/** Febrl rows as the CDP's source profiles; soc_sec_id is the document number (DNI-like, 7 digits). */
function febrlProfiles(file: string): { records: ProfileRecord[]; truth: Map<string, string> } {
  const truth = new Map<string, string>();
  const records = csv(file).map((r) => {
    truth.set(r.rec_id!, /^rec-(\d+)-/.exec(r.rec_id!)![1]!);
    const street = [r.street_number, r.address_1].filter(Boolean).join(' ');
    const dob = febrlDate(r.date_of_birth ?? '');
    const rec: ProfileRecord = {
      externalId: r.rec_id!,
      dni: opt(r.soc_sec_id),
      firstName: opt(r.given_name),
      lastName: opt(r.surname),
      birthDate: birth(dob),
      address: { street: opt(street), line2: opt(r.address_2), city: opt(r.suburb), province: opt(r.state), postalCode: opt(r.postcode), country: 'AU' },
      attributes: dob && !birth(dob) ? { rawBirthDate: r.date_of_birth } : {},
    };
    return JSON.parse(JSON.stringify(rec)) as ProfileRecord;
  });
  return { records, truth };
}

function splinkProfiles(file: string) {
  const truth = new Map<string, string>();
  const records = csv(file).map((r) => {
    truth.set(`u${r.unique_id}`, r.cluster!);
    const email = r.email && profileRecord.shape.email.safeParse(r.email).success ? r.email : undefined;
    const rec: ProfileRecord = {
      externalId: `u${r.unique_id}`,
      email,
      firstName: opt(r.first_name),
      lastName: opt(r.surname),
      birthDate: birth(opt(r.dob) ?? null),
      address: { city: opt(r.city) },
      attributes: email || !r.email ? {} : { rawEmail: r.email },
    };
    return JSON.parse(JSON.stringify(rec)) as ProfileRecord;
  });
  return { records, truth };
}

/** Pairwise precision/recall of predicted clusters (customer ids) against true clusters. */
function pairwise(predicted: Map<string, string>, truth: Map<string, string>) {
  const pairsIn = (groups: Map<string, string[]>) => [...groups.values()].reduce((s, g) => s + (g.length * (g.length - 1)) / 2, 0);
  const group = (m: Map<string, string>) => {
    const g = new Map<string, string[]>();
    for (const [id, c] of m) g.set(c, [...(g.get(c) ?? []), id]);
    return g;
  };
  const both = new Map<string, string>();
  for (const [id, c] of predicted) both.set(id, `${c}|${truth.get(id)}`);
  const tp = pairsIn(group(both));
  const predictedPairs = pairsIn(group(predicted));
  const truePairs = pairsIn(group(truth));
  return { precision: predictedPairs ? tp / predictedPairs : 1, recall: truePairs ? tp / truePairs : 1, truePairs, predictedPairs, tp };
}

async function resolveThroughApi(records: ProfileRecord[], source: string) {
  const t = await apiTenant('quality');
  for (let i = 0; i < records.length; i += 1000) {
    const res = await t.api.post('/api/v1/profiles', { source, records: records.slice(i, i + 1000) });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  }
  const db = appDatabase();
  await eventually(
    async () => (await db.$client.query<{ n: number }>('select count(*)::int as n from source_profiles where tenant_id = $1 and pending_resolution', [t.tenant.id])).rows[0]!.n === 0,
    120_000,
    'resolution of every profile',
  );
  const rows = await db.$client.query<{ e: string; c: string }>('select external_id as e, customer_id as c from source_profiles where tenant_id = $1', [t.tenant.id]);
  const reviews = await db.$client.query<{ n: number }>(`select count(*)::int as n from identity_reviews where tenant_id = $1 and status = 'open'`, [t.tenant.id]);
  return { predicted: new Map(rows.rows.map((r) => [r.e, r.c])), openReviews: reviews.rows[0]!.n };
}

const results: Record<string, unknown>[] = [];
afterAll(async () => {
  console.table(results);
  await closeAppDatabase();
});

describe('identity resolution quality on public data', () => {
  // Targets from the issue, plus regression floors just under what the pipeline reached when this test was
  // written (2026-11-25: P 1.0000 on all three; R 0.9800, 0.9891 and 0.7751). Febrl 1 reaches 0.976–0.980
  // depending on how ingest batches fall (cheaper DNI blocking since), hence 0.97.
  it.each([
    ['febrl dataset1', 'febrl/dataset1.csv', { precision: 0.99, recall: 0.95, recallFloor: 0.97 }],
    ['febrl dataset2', 'febrl/dataset2.csv', { precision: 0.99, recall: 0.95, recallFloor: 0.984 }],
  ])('%s', { timeout: 180_000 }, async (name, file, target) => {
    const { records, truth } = febrlProfiles(data(file));
    const { predicted, openReviews } = await resolveThroughApi(records, 'febrl');
    const m = pairwise(predicted, truth);
    results.push({ dataset: name, precision: m.precision.toFixed(4), recall: m.recall.toFixed(4), truePairs: m.truePairs, predictedPairs: m.predictedPairs, openReviews });
    expect(m.precision).toBeGreaterThanOrEqual(target.precision);
    expect(m.recall).toBeGreaterThanOrEqual(target.recall);
    expect(m.recall).toBeGreaterThanOrEqual(target.recallFloor);
  });

  it('splink fake_1000: precision holds on messy emails and names', { timeout: 120_000 }, async () => {
    const { records, truth } = splinkProfiles(data('splink', 'fake_1000.csv'));
    const { predicted, openReviews } = await resolveThroughApi(records, 'crm');
    const m = pairwise(predicted, truth);
    results.push({ dataset: 'splink fake_1000', precision: m.precision.toFixed(4), recall: m.recall.toFixed(4), truePairs: m.truePairs, predictedPairs: m.predictedPairs, openReviews });
    expect(m.precision).toBeGreaterThanOrEqual(0.99);
    // Exact email alone reaches 0.54; regression floor just under what the pipeline reached.
    expect(m.recall).toBeGreaterThanOrEqual(0.77);
  });
});
