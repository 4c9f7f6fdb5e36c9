// Write-back to VTEX Master Data CL: configured custom fields, only when they change, rate-limited.
import { writeBackPatch, type WriteBackFields } from '#core/connectors/write-back.ts';
import { writeBackCandidates } from '#db/queries/write-back.ts';
import { heartbeat, openVtex, type VtexDeps } from './connection.ts';

export interface WriteBackCounts {
  /** Customers with a CL document looked at. */
  customers: number;
  /** CL documents PATCHed. */
  written: number;
  /** Already holding the CDP's values: nothing sent. */
  unchanged: number;
  /** PATCHes VTEX refused for the document (gone); listed in `errors`. */
  failed: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createVtexWriteBackActivities(deps: VtexDeps) {
  return {
    /**
     * One batch: reads the next customers, their CL documents' current values (one search per 40), and PATCHes
     * the documents whose fields differ, no faster than config.writeBack.requestsPerSecond. A batch holds about a
     * minute of PATCHes at that rate. Rerunning it sends nothing: the values already match.
     */
    async vtexWriteBackBatch(input: { tenantId: string; connectionId: string; after?: string }): Promise<{ after?: string; done: boolean; counts: WriteBackCounts; errors: { clId: string; reason: string }[]; disabled?: boolean }> {
      const v = await openVtex(deps, input);
      const wb = v.config.writeBack;
      const fields: WriteBackFields = Object.fromEntries(Object.entries(wb.fields).filter(([, f]) => f));
      const none = { customers: 0, written: 0, unchanged: 0, failed: 0 };
      if (!wb.enabled || !Object.keys(fields).length) return { done: true, counts: none, errors: [], disabled: true };
      const limit = Math.max(1, Math.min(100, Math.floor(wb.requestsPerSecond * 60)));
      const rows = await writeBackCandidates(deps.db.$client, v.tenantId, v.config.source, 'vtexClId', input.after, limit);
      if (!rows.length) return { done: true, counts: none, errors: [] };
      // Two profiles merged into one customer may share a CL document: one PATCH each.
      const byCl = new Map(rows.map((r) => [r.recordId, r]));
      const ids = [...byCl.keys()];
      const current = new Map<string, Record<string, unknown>>();
      for (let i = 0; i < ids.length; i += 40) {
        const chunk = ids.slice(i, i + 40);
        const docs = await v.client.searchClFields(chunk.map((id) => `id=${id}`).join(' OR '), ['id', ...Object.values(fields)], [0, 100]);
        for (const d of docs) current.set(d.id as string, d);
      }
      const counts: WriteBackCounts = { customers: byCl.size, written: 0, unchanged: 0, failed: 0 };
      const errors: { clId: string; reason: string }[] = [];
      const gapMs = 1000 / wb.requestsPerSecond;
      let last = 0;
      for (const [clId, row] of byCl) {
        if (!current.has(clId)) {
          counts.failed++;
          errors.push({ clId, reason: 'the CL document no longer exists' });
          continue;
        }
        const patch = writeBackPatch(fields, row.values, current.get(clId));
        if (!patch) {
          counts.unchanged++;
          continue;
        }
        const wait = last + gapMs - Date.now();
        if (wait > 0) await sleep(wait);
        last = Date.now();
        const res = await v.client.http.patch(`/api/dataentities/CL/documents/${encodeURIComponent(clId)}`, patch, { accept: [404] });
        heartbeat({ clId });
        if (res.status === 404) {
          counts.failed++;
          errors.push({ clId, reason: 'the CL document no longer exists' });
        } else counts.written++;
      }
      return { after: rows.at(-1)!.profileId, done: rows.length < limit, counts, errors };
    },
  };
}

export type VtexWriteBackActivities = ReturnType<typeof createVtexWriteBackActivities>;
