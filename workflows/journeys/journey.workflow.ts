// One customer's run through one journey version: a deterministic interpreter over the pinned definition. Delays and
// waits are durable timers/conditions, event and segment changes arrive as signals, side effects run in activities.
// Step records ride along with the next activity call, so a node visit costs at most 3 workflow tasks.
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { JourneyRunActivities, RunFlush, StepRecord } from '../../activities/journeys/run.activities.ts';
import type { ExperimentActivities } from '../../activities/experiments/experiments.activities.ts';
import type { MessagingActivities, SendMessageResult } from '../../activities/messaging/messaging.contract.ts';
import type { JourneyDefinition, JourneyNode, NodeOf } from '../../core/journeys/definition.ts';
import { eventMatches, type KeyContext } from '../../core/journeys/events.ts';
import { assignVariant } from '../../core/journeys/experiment.ts';
import { entryOf, nextNode, nodeById } from '../../core/journeys/graph.ts';
import { nextDelayUntil, quietHoursDecision } from '../../core/journeys/scheduling.ts';
import { murmur3 } from '../../core/journeys/experiment.ts';
import {
  journeyControlSignal,
  journeyEventSignal,
  type JourneyEventSignal,
  type JourneyRunInput,
  type JourneyRunState,
  journeySegmentSignal,
  type JourneySegmentSignal,
  journeyStateQuery,
} from './journey.contract.ts';

const run = proxyActivities<JourneyRunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
/**
 * The run's short database activities (begin, steps, split, status before a send, profile update, finish) as local
 * activities: executed by the worker inside the workflow task and recorded as a marker, so each costs no activity
 * task round trip through the server and no extra workflow task. Retries and idempotency are the same (every one is
 * an idempotent upsert); a worker crash re-runs the workflow task and with it the local activity.
 */
const local = proxyLocalActivities<JourneyRunActivities>({
  startToCloseTimeout: '1 minute',
  // Longer back-offs leave the workflow task and come back on a durable timer.
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
/** Runs started before this change keep scheduling regular activities on replay. */
const LOCAL_RUN_ACTIVITIES_PATCH = 'journey-run-local-activities';
const webhook = proxyActivities<JourneyRunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 5 },
});
const experiments = proxyActivities<ExperimentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
const messaging = proxyActivities<MessagingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2, maximumAttempts: 10 },
});

/** Waits longer than this record "customer is at this node" first, so the canvas shows who is waiting where. */
const FLUSH_BEFORE_WAIT_MS = 60_000;
/** A journey status read more recently than this is trusted at a send (pause also arrives by signal). */
const STATUS_FRESH_MS = 60_000;
/** While paused, re-read the status this often in case the control signal was missed. */
const PAUSE_RECHECK = '1 hour';
/** Signal ids remembered for de-duplication (a re-sent signal is harmless). */
const SEEN_LIMIT = 500;
/** Bounded history: continue-as-new after this many node visits even if the server does not suggest it. */
const MAX_STEPS_PER_RUN = 200;

type ExitReason = { status: 'completed' | 'exited' | 'failed'; reason?: string };

/** Carried across continue-as-new in `resume`. */
interface ResumeState {
  entryId: string;
  enteredAt: string;
  nodeId: string | null;
  stepIndex: number;
  pending: StepRecord[];
  convertedAt?: string;
  conversionRecorded: boolean;
  seen: string[];
  controlStatus?: 'active' | 'paused' | 'archived';
}

/** A compact, deterministic message id: 128 bits of MurmurHash3 over the run's identity and the visit. */
export function journeyMessageId(workflowId: string, entryId: string, nodeId: string, stepIndex: number, attempt = ''): string {
  const text = `${workflowId}\u0000${entryId}\u0000${nodeId}\u0000${stepIndex}\u0000${attempt}`;
  return `jm_${[0x1b873593, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f].map((seed) => murmur3(text, seed).toString(16).padStart(8, '0')).join('')}`;
}

export async function journeyRunWorkflow(input: JourneyRunInput): Promise<{ status: string; reason?: string; steps: number }> {
  const info = workflowInfo();
  // Decided once, before the first command, so a replay of an older history schedules what it scheduled then.
  const db = patched(LOCAL_RUN_ACTIVITIES_PATCH) ? local : run;
  const resume = input.resume as ResumeState | undefined;
  const entryId = resume?.entryId ?? uuid4();
  const enteredAt = resume?.enteredAt ?? new Date().toISOString();
  const entryRef = { id: entryId, tenantId: input.tenantId, journeyId: input.journeyId, version: input.version, customerId: input.customerId };
  let stepIndex = resume?.stepIndex ?? 0;
  let pending: StepRecord[] = resume?.pending ?? [];
  let convertedAt = resume?.convertedAt;
  let conversionRecorded = resume?.conversionRecorded ?? false;
  let controlStatus = resume?.controlStatus;
  const seen: string[] = resume?.seen ?? [];
  const seenSet = new Set(seen);
  let exit: ExitReason | undefined;
  // Set once the first activity loaded the pinned version; signals before that wait in the inbox.
  const loaded: { def?: JourneyDefinition } = {};
  let keys: KeyContext = {};
  let goalDeadline = 0;
  let current: { node: JourneyNode; step: StepRecord } | undefined;
  let waitMatch: string | undefined;
  let waiting: string | undefined;
  const inbox: ({ kind: 'event'; e: JourneyEventSignal } | { kind: 'segment'; s: JourneySegmentSignal })[] = [];

  // The trigger itself (the entry event or segment change of signal-with-start) is never a wait/exit/goal match.
  const remember = (id: string) => {
    if (seenSet.has(id)) return false;
    seenSet.add(id);
    seen.push(id);
    if (seen.length > SEEN_LIMIT) seenSet.delete(seen.shift()!);
    return true;
  };
  const t = input.trigger;
  if (!resume) {
    if (t.kind === 'event') remember(`e:${t.messageId}`);
    if (t.kind === 'segment_entered') remember(`s:${t.seq}`);
    if (t.kind === 'api') remember(`e:${t.requestId}`);
    if (t.kind === 'batch') remember(`e:${t.batchId}`);
    if (t.kind === 'date') remember(`e:date:${t.occurrence}`);
  }

  const convert = () => {
    const def = loaded.def;
    if (convertedAt || !def?.settings.goal || Date.now() > goalDeadline) return;
    convertedAt = new Date().toISOString();
    if (def.settings.goal.exitOnGoal) exit ??= { status: 'exited', reason: 'goal' };
  };

  function onEvent(e: JourneyEventSignal) {
    const d = loaded.def!;
    const now = new Date();
    const ev = { event: e.event, properties: e.properties };
    if (d.settings.exitCriteria.some((c) => c.kind === 'event' && eventMatches(c.match, ev, keys, now))) exit ??= { status: 'exited', reason: 'exit_criteria' };
    const goal = d.settings.goal;
    if (goal?.match.kind === 'event' && eventMatches(goal.match.match, ev, keys, now)) convert();
    if (current?.node.type === 'wait' && waitMatch === undefined) {
      const c = current.node.conditions.find((x) => x.kind === 'event' && eventMatches(x.match, ev, keys, now));
      if (c) waitMatch = c.id;
    }
  }

  function onSegment(s: JourneySegmentSignal) {
    const d = loaded.def!;
    if (d.settings.exitCriteria.some((c) => (c.kind === 'segment_exited' && s.change === 'exited' && c.segmentId === s.segmentId) || (c.kind === 'segment_entered' && s.change === 'entered' && c.segmentId === s.segmentId)))
      exit ??= { status: 'exited', reason: 'exit_criteria' };
    const goal = d.settings.goal;
    if (goal?.match.kind === 'segment_entered' && s.change === 'entered' && goal.match.segmentId === s.segmentId) convert();
    if (current?.node.type === 'wait' && waitMatch === undefined) {
      const c = current.node.conditions.find((x) => x.kind === 'segment' && x.segmentId === s.segmentId && x.change === s.change);
      if (c) waitMatch = c.id;
    }
  }

  const deliver = (m: (typeof inbox)[number]) => (m.kind === 'event' ? onEvent(m.e) : onSegment(m.s));
  setHandler(journeyEventSignal, (e) => {
    if (!remember(`e:${e.messageId}`)) return;
    if (loaded.def) onEvent(e);
    else inbox.push({ kind: 'event', e });
  });
  setHandler(journeySegmentSignal, (s) => {
    if (!remember(`s:${s.seq}`)) return;
    if (loaded.def) onSegment(s);
    else inbox.push({ kind: 'segment', s });
  });
  setHandler(journeyControlSignal, ({ status }) => {
    controlStatus = status;
  });
  setHandler(journeyStateQuery, (): JourneyRunState => ({
    nodeId: current?.node.id ?? null,
    status: exit ? (exit.status === 'completed' ? 'completed' : 'exited') : 'running',
    steps: stepIndex,
    waitingFor: waiting,
  }));

  /** Everything not yet recorded, handed to the next activity (and cleared: activities are idempotent upserts). */
  const takeFlush = (currentNodeId?: string | null): RunFlush => {
    const f: RunFlush = { entry: entryRef, steps: pending, currentNodeId };
    if (convertedAt && !conversionRecorded) {
      f.convertedAt = convertedAt;
      conversionRecorded = true;
    }
    pending = [];
    return f;
  };

  const begin = await db.beginJourneyRun({
    entry: entryRef,
    entryKey: input.entryKey ?? '',
    workflowId: info.workflowId,
    workflowRunId: info.runId,
    trigger: t as unknown as Record<string, unknown>,
    enteredAt,
  });
  if (!begin.found || !begin.definition) return { status: 'failed', reason: 'journey_or_customer_missing', steps: stepIndex };
  const definition = begin.definition;
  loaded.def = definition;
  let status = controlStatus ?? begin.status;
  let statusReadAt = Date.now();
  const entry = entryOf(definition);
  keys = { keyPath: entry?.trigger.kind === 'event' ? entry.trigger.correlationKey : undefined, key: input.entryKey || undefined };
  goalDeadline = definition.settings.goal ? Date.parse(enteredAt) + definition.settings.goal.windowSeconds * 1000 : 0;
  for (const m of inbox.splice(0)) deliver(m);
  const tz = begin.timeZone;
  const eventProps = t.kind === 'event' ? t.properties : t.kind === 'api' ? (t.properties ?? {}) : {};

  const finish = async (end: ExitReason, nodeId: string | null) => {
    const f = takeFlush();
    await db.finishJourneyRun({ ...f, status: end.status, exitReason: end.reason, nodeId, endedAt: new Date().toISOString() });
    return { status: end.status, reason: end.reason, steps: stepIndex };
  };

  /** A durable wait that ends early when the journey is exited (exit criteria, goal). False when exited. */
  const waitFor = async (ms: number, what: string, until?: () => boolean) => {
    waiting = what;
    try {
      if (ms > 0) await condition(() => exit !== undefined || (until?.() ?? false), ms);
    } finally {
      waiting = undefined;
    }
    return exit === undefined;
  };

  // Held-out customers record their entry and, for the goal window, their conversion: the journey's control group.
  if (begin.inHoldout) {
    if (definition.settings.goal && !convertedAt) await waitFor(goalDeadline - Date.now(), 'goal', () => convertedAt !== undefined);
    return finish(exit ?? { status: 'completed', reason: 'holdout' }, null);
  }

  let nodeId: string | null = resume ? resume.nodeId : (entry?.id ?? null);
  let visits = 0;
  while (nodeId !== null) {
    if (exit) return finish(exit, nodeId);
    const node = nodeById(definition, nodeId);
    if (!node) return finish({ status: 'failed', reason: `node ${nodeId} missing` }, nodeId);
    const step: StepRecord = { stepIndex: stepIndex++, nodeId: node.id, nodeType: node.type, port: null, enteredAt: new Date().toISOString(), leftAt: null };
    current = { node, step };
    waitMatch = undefined;
    /** Records "at this node" before a long wait. */
    const flushIfLong = async (ms: number) => {
      if (ms <= FLUSH_BEFORE_WAIT_MS) return;
      pending.push({ ...step });
      await db.recordJourneySteps(takeFlush(node.id));
    };

    let port: string | undefined;
    let recorded = false;
    switch (node.type) {
      case 'entry':
        port = 'next';
        break;
      case 'exit': {
        pending.push({ ...step, leftAt: step.enteredAt });
        return finish({ status: 'completed', reason: node.reason }, node.id);
      }
      case 'delay': {
        const d = nextDelayUntil(node.delay, { now: new Date(), tz, birthDate: begin.birthDate, attributes: begin.dateAttributes });
        if (d.kind === 'missing') {
          if (d.ifMissing === 'exit') {
            pending.push({ ...step, leftAt: step.enteredAt });
            return finish({ status: 'exited', reason: 'date_missing' }, node.id);
          }
        } else {
          const ms = d.at.getTime() - Date.now();
          await flushIfLong(ms);
          if (!(await waitFor(ms, `delay until ${d.at.toISOString()}`))) break;
        }
        port = 'next';
        break;
      }
      case 'wait': {
        const ms = node.timeoutSeconds * 1000;
        await flushIfLong(ms);
        if (!(await waitFor(ms, 'wait', () => waitMatch !== undefined))) break;
        port = waitMatch ?? 'timeout';
        break;
      }
      case 'split': {
        const { branchId } = await db.evaluateJourneySplit({ ...takeFlush(), branches: node.branches.map((b) => ({ id: b.id, condition: b.condition })) });
        port = branchId ?? 'else';
        break;
      }
      case 'experiment': {
        // An experiment running on this node owns the assignment (sticky, recorded as an exposure, the winner once
        // decided); runs recorded before this existed replay the pure draw below.
        if (patched('experiment-exposures')) {
          const ports = [...node.variants.map((v) => v.id), ...(node.holdoutPercent > 0 ? ['holdout'] : [])];
          const assigned = await experiments.assignJourneyExperiment({ tenantId: input.tenantId, journeyId: input.journeyId, nodeId: node.id, customerId: input.customerId, ports });
          if (assigned) {
            port = assigned.port;
            break;
          }
        }
        const a = assignVariant(node.experimentKey ?? node.id, input.customerId, node.variants, node.holdoutPercent);
        port = a.kind === 'holdout' ? 'holdout' : a.variantId;
        break;
      }
      case 'message': {
        const outcome = await sendStep(node, step);
        if (outcome === 'exited') break;
        if (outcome === 'failed' && node.onFailure === 'exit') {
          pending.push({ ...step, port: 'next', leftAt: new Date().toISOString() });
          return finish({ status: 'exited', reason: 'message_failed' }, node.id);
        }
        port = 'next';
        break;
      }
      case 'update_profile': {
        const marker: StepRecord = { ...step, port: 'next', leftAt: new Date().toISOString() };
        await db.updateJourneyProfile({ ...takeFlush(), step: marker, updates: node.updates });
        // The marker is this node's step record already.
        recorded = true;
        port = 'next';
        break;
      }
      case 'webhook': {
        let ok = false;
        try {
          ok = (
            await webhook.callJourneyWebhook({
              ...takeFlush(),
              url: node.url,
              method: node.method,
              headers: node.headers,
              body: node.body,
              context: { event: eventProps, journey: { id: input.journeyId, name: begin.journeyName, nodeId: node.id } },
            })
          ).ok;
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
        }
        if (!ok && node.onFailure === 'exit') {
          pending.push({ ...step, port: 'next', leftAt: new Date().toISOString() });
          return finish({ status: 'exited', reason: 'webhook_failed' }, node.id);
        }
        port = 'next';
        break;
      }
    }
    if (port === undefined) {
      pending.push({ ...step, leftAt: new Date().toISOString() });
      return finish(exit ?? { status: 'exited' }, node.id);
    }
    if (!recorded) pending.push({ ...step, port, leftAt: new Date().toISOString() });
    nodeId = nextNode(definition, node.id, port);
    visits++;
    if (nodeId !== null && !exit && (workflowInfo().continueAsNewSuggested || visits >= MAX_STEPS_PER_RUN)) {
      await condition(allHandlersFinished);
      const state: ResumeState = { entryId, enteredAt, nodeId, stepIndex, pending, convertedAt, conversionRecorded, seen, controlStatus };
      await continueAsNew<typeof journeyRunWorkflow>({ ...input, resume: state as unknown as Record<string, unknown> });
    }
  }
  return finish(exit ?? { status: 'completed' }, null);

  /** Quiet hours, pause, the send, one retry after a frequency cap. 'exited' when the journey ended meanwhile. */
  async function sendStep(node: NodeOf<'message'>, step: StepRecord): Promise<'sent' | 'skipped' | 'failed' | 'exited'> {
    if (!node.transactional) {
      const q = quietHoursDecision(new Date(), tz, definition.settings.quietHours);
      if (q.action === 'skip') return 'skipped';
      if (q.action === 'defer') {
        const ms = q.until.getTime() - Date.now();
        await flushIfLongAt(ms, node, step);
        if (!(await waitFor(ms, 'quiet hours'))) return 'exited';
      }
    }
    // Pause holds sends: trust a recent read or a control signal, re-read otherwise.
    if (controlStatus) status = controlStatus;
    if (Date.now() - statusReadAt > STATUS_FRESH_MS || status === 'paused') {
      status = (await db.journeyBeforeSend(takeFlush())).status;
      statusReadAt = Date.now();
      if (controlStatus && controlStatus !== status) controlStatus = undefined;
    }
    while (status === 'paused') {
      const before = controlStatus;
      waiting = 'journey paused';
      await condition(() => exit !== undefined || (controlStatus !== undefined && controlStatus !== 'paused' && controlStatus !== before), PAUSE_RECHECK);
      waiting = undefined;
      if (exit) return 'exited';
      status = (await db.journeyBeforeSend(takeFlush(node.id))).status;
      statusReadAt = Date.now();
    }
    if (exit) return 'exited';
    const send = async (attempt: string): Promise<SendMessageResult | 'failed'> => {
      try {
        return await messaging.sendMessage({
          tenantId: input.tenantId,
          messageId: journeyMessageId(info.workflowId, entryId, node.id, step.stepIndex, attempt),
          customerId: input.customerId,
          channel: node.channel,
          templateId: node.templateId,
          transactional: node.transactional,
          respectGlobalCaps: definition.settings.frequencyCap.respectGlobalCaps,
          source: { kind: 'journey', journeyId: input.journeyId, journeyVersion: input.version, nodeId: node.id, entryId },
          context: { event: eventProps, journey: { id: input.journeyId, name: begin.journeyName } },
        });
      } catch (err) {
        if (err instanceof ActivityFailure) return 'failed';
        throw err;
      }
    };
    let result = await send('');
    if (result !== 'failed' && result.status === 'skipped' && result.reason === 'capped' && result.retryAt) {
      // Capped: wait once for the cap to allow it, then try again (a second cap skips).
      const ms = Date.parse(result.retryAt) - Date.now();
      await flushIfLongAt(ms, node, step);
      if (!(await waitFor(ms, 'frequency cap'))) return 'exited';
      result = await send('cap-retry');
    }
    return result === 'failed' ? 'failed' : result.status;
  }

  async function flushIfLongAt(ms: number, node: JourneyNode, step: StepRecord) {
    if (ms <= FLUSH_BEFORE_WAIT_MS) return;
    pending.push({ ...step });
    await db.recordJourneySteps(takeFlush(node.id));
  }
}
