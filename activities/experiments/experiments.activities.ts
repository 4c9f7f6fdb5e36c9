// The experiment workflow's side effects: read its settings, begin it at the start date, evaluate and store an
// evaluation, record the decision (the one shared path, recordExperimentDecision), and the journey experiment node's
// question "is an experiment running on me, and which variant does this customer get?".
import type { Decision } from '#core/experiments/decision.ts';
import { HOLDOUT, type ExperimentDefinition, type ExperimentStatus } from '#core/experiments/definition.ts';
import type { ExperimentDecisionRecord } from '#core/experiments/results.ts';
import type { Db } from '#db/client.ts';
import { assignExperimentVariant } from '#db/queries/experiment-assignment.ts';
import { recordExperimentDecision } from '#db/queries/experiment-decisions.ts';
import { computeExperimentResults } from '#db/queries/experiment-results.ts';

/** What the workflow re-reads each round (interval, auto-select and end date stay editable while running). */
export interface ExperimentSettings {
  status: ExperimentStatus;
  startAt: string | null;
  endAt: string | null;
  evaluationIntervalMinutes: number;
  autoSelectWinner: boolean;
}

export interface EvaluationOutcome {
  evaluatedAt: string;
  decision: Decision;
  settings: ExperimentSettings;
}

const settingsOf = (status: ExperimentStatus, d: ExperimentDefinition): ExperimentSettings => ({
  status,
  startAt: d.schedule.startAt ?? null,
  endAt: d.schedule.endAt ?? null,
  evaluationIntervalMinutes: d.analysis.evaluationIntervalMinutes,
  autoSelectWinner: d.autoSelectWinner,
});

export function createExperimentActivities({ db }: { db: Db }) {
  const q = db.$client;
  async function loadSettings(tenantId: string, experimentId: string): Promise<ExperimentSettings | null> {
    const { rows } = await q.query<{ status: ExperimentStatus; definition: ExperimentDefinition }>(`select status, definition from experiments where tenant_id = $1 and id = $2`, [tenantId, experimentId]);
    return rows[0] ? settingsOf(rows[0].status, rows[0].definition) : null;
  }
  return {
    /** Null when the experiment was deleted. */
    experimentSettings: async (i: { tenantId: string; experimentId: string }) => loadSettings(i.tenantId, i.experimentId),

    /** Scheduled → running at the start date (no-op if the API already moved it). */
    async beginExperiment(i: { tenantId: string; experimentId: string }): Promise<ExperimentSettings | null> {
      await q.query(`update experiments set status = 'running', started_at = coalesce(started_at, now()), updated_at = now() where tenant_id = $1 and id = $2 and status = 'scheduled'`, [i.tenantId, i.experimentId]);
      return loadSettings(i.tenantId, i.experimentId);
    },

    /** Computes results now and stores them as one evaluation row. */
    async evaluateExperiment(i: { tenantId: string; experimentId: string; trigger: 'start' | 'timer' | 'manual' | 'final' }): Promise<EvaluationOutcome | null> {
      const settings = await loadSettings(i.tenantId, i.experimentId);
      if (!settings) return null;
      const now = new Date();
      const results = await computeExperimentResults(q, i.tenantId, i.experimentId, now);
      await q.query(`insert into experiment_evaluations (tenant_id, experiment_id, evaluated_at, trigger, results) values ($1, $2, $3, $4, $5)`, [i.tenantId, i.experimentId, now, i.trigger, JSON.stringify(results)]);
      return { evaluatedAt: now.toISOString(), decision: results.decision, settings };
    },

    /** Ends the experiment once (a second call, e.g. after the API already did, returns the stored decision). */
    async decideExperiment(i: { tenantId: string; experimentId: string; decision: Omit<ExperimentDecisionRecord, 'at'> }) {
      return recordExperimentDecision(q, i.tenantId, i.experimentId, { ...i.decision, at: new Date().toISOString() });
    },

    /**
     * The journey experiment node: when a running or completed experiment targets (journeyId, nodeId), the customer's
     * sticky variant (the winner once completed). Null means "no experiment (or its variant is no port of this
     * node)": the node keeps its own pure assignment.
     */
    async assignJourneyExperiment(i: { tenantId: string; journeyId: string; nodeId: string; customerId: string; ports: string[] }): Promise<{ experimentId: string; port: string } | null> {
      const { rows } = await q.query<{ id: string }>(
        `select id from experiments
          where tenant_id = $1 and status in ('running', 'completed')
            and definition->'audience'->>'kind' = 'journey' and definition->'audience'->>'journeyId' = $2 and definition->'audience'->>'nodeId' = $3
          order by started_at desc nulls last limit 1`,
        [i.tenantId, i.journeyId, i.nodeId],
      );
      if (!rows[0]) return null;
      const a = await assignExperimentVariant(q, { tenantId: i.tenantId, experimentId: rows[0].id, customerId: i.customerId, source: 'journey' });
      const port = a.variant === HOLDOUT ? 'holdout' : a.variant;
      return i.ports.includes(port) ? { experimentId: rows[0].id, port } : null;
    },
  };
}

export type ExperimentActivities = ReturnType<typeof createExperimentActivities>;
