// Request and response shapes of the journeys API.
import { z } from 'zod';
import { journeyDefinition } from '../journeys/definition.ts';

const layout = z.record(z.string(), z.object({ x: z.number().finite(), y: z.number().finite() })).describe('Canvas position of each node, by node id.');

export const JOURNEY_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export const createJourneyRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    template: z.string().min(1).max(100).optional().describe('A ready-made journey id from GET /api/v1/journeys/templates; creates the email templates and segments it needs when missing.'),
    definition: z.unknown().optional().describe('A draft definition (any JSON: drafts may be incomplete). Ignored with `template`.'),
    layout: layout.optional(),
  })
  .strict()
  .meta({ id: 'CreateJourneyRequest' });
export type CreateJourneyRequest = z.infer<typeof createJourneyRequest>;

export const patchJourneyRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    definition: z.unknown().optional().describe('The new draft; stored as sent, validation is reported, not enforced.'),
    layout: layout.optional(),
  })
  .strict()
  .meta({ id: 'PatchJourneyRequest' });
export type PatchJourneyRequest = z.infer<typeof patchJourneyRequest>;

export const publishJourneyRequest = z
  .object({
    enterCurrentMembers: z.boolean().default(false).describe('Segment-entry journeys only: also enter everyone already in the segment (a batch workflow).'),
  })
  .strict()
  .meta({ id: 'PublishJourneyRequest' });

export const journeyError = z
  .object({
    nodeId: z.string().optional(),
    port: z.string().optional(),
    path: z.string().optional(),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'JourneyValidationError' });

export const journeyValidationResult = z.object({ ok: z.boolean(), errors: z.array(journeyError) }).meta({ id: 'JourneyValidation' });

export const journeyStats = z
  .object({
    entered: z.number().int(),
    running: z.number().int(),
    completed: z.number().int().describe('Entries that ended (completed or exited).'),
    converted: z.number().int(),
    messagesSent: z.number().int(),
  })
  .meta({ id: 'JourneyStats' });
export type JourneyStats = z.infer<typeof journeyStats>;

export const journeySummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(JOURNEY_STATUSES),
    latestVersion: z.number().int().nullable(),
    templateKey: z.string().nullable(),
    entryKind: z.string().nullable().describe('The draft entry trigger kind, when it has one.'),
    stats: journeyStats,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'JourneySummary' });
export type JourneySummary = z.infer<typeof journeySummary>;

export const journeyDetail = journeySummary
  .extend({
    draft: z.unknown().describe('The draft definition as saved (may be invalid).'),
    draftLayout: layout,
    validation: journeyValidationResult,
    /** True when the draft differs from the latest published version. */
    unpublishedChanges: z.boolean(),
    versions: z.array(z.object({ version: z.number().int(), publishedAt: z.iso.datetime() })),
  })
  .meta({ id: 'Journey' });
export type JourneyDetail = z.infer<typeof journeyDetail>;

export const journeyVersion = z
  .object({ version: z.number().int(), definition: journeyDefinition, layout, publishedAt: z.iso.datetime(), publishedBy: z.string().nullable() })
  .meta({ id: 'JourneyVersion' });

export const publishResult = z
  .object({
    journey: journeyDetail,
    version: z.number().int(),
    created: z.boolean().describe('False when the draft equals the latest version (nothing new was published).'),
    batch: z.object({ workflowId: z.string(), batchId: z.string() }).nullable().describe('The batch entry of current segment members, when asked for.'),
  })
  .meta({ id: 'JourneyPublishResult' });

export const journeyTemplateInfo = z
  .object({ id: z.string(), name: z.string(), description: z.string(), messages: z.array(z.string()), segments: z.array(z.string()) })
  .meta({ id: 'JourneyTemplate' });

export const nodeAnalytics = z
  .object({
    nodeId: z.string(),
    entered: z.number().int().describe('Visits.'),
    waiting: z.number().int().describe('Currently at the node.'),
    exits: z.record(z.string(), z.number().int()).describe('Visits that left, by port.'),
    converted: z.number().int().describe('Converted entries that visited the node.'),
    messages: z.object({ sent: z.number().int(), delivered: z.number().int(), opened: z.number().int(), clicked: z.number().int(), failed: z.number().int(), skipped: z.number().int() }),
  })
  .meta({ id: 'JourneyNodeAnalytics' });
export type NodeAnalytics = z.infer<typeof nodeAnalytics>;

const group = z.object({ entered: z.number().int(), converted: z.number().int() });
export const journeyAnalytics = z
  .object({
    version: z.number().int().nullable().describe('Null: all versions together.'),
    totals: journeyStats.extend({ exited: z.number().int(), failed: z.number().int() }),
    holdout: group.describe('Journey-level holdout (control group).'),
    treatment: group,
    nodes: z.array(nodeAnalytics),
  })
  .meta({ id: 'JourneyAnalytics' });
export type JourneyAnalytics = z.infer<typeof journeyAnalytics>;

export const analyticsQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
