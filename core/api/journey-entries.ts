// Request and response bodies of POST /api/v1/journeys/{id}/entries (journeys whose entry is `api`).
import { z } from 'zod';

export const MAX_BULK_ENTRIES = 10_000;

export const journeyEntryRequest = z
  .union([
    z
      .object({
        customerId: z.uuid(),
        /** Correlation key: one run per customer and key (an order id, a ticket id); repeated calls join it. */
        key: z.string().min(1).max(200).optional(),
        /** Available to templates as `event.*`. */
        properties: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    z.object({ customerIds: z.array(z.uuid()).min(1).max(MAX_BULK_ENTRIES) }).strict(),
  ])
  .meta({ id: 'JourneyEntryRequest', description: 'One customer (with an optional key and properties), or up to 10,000 customer ids entered by a batch workflow.' });

export const journeyEntryResult = z
  .object({
    journeyId: z.uuid(),
    version: z.number().int(),
    /** One customer: whether a run was started (false when re-entry rules forbid it; `reason` says why). */
    entered: z.boolean().optional(),
    reason: z.string().optional(),
    /** Workflow id of each customer's run (journeyRunWorkflow). */
    workflowIds: z.array(z.string()),
    /** Bulk: the batch workflow (journeyBatchEntryWorkflow) entering them at a controlled rate; query `progress`. */
    batchWorkflowId: z.string().optional(),
  })
  .meta({ id: 'JourneyEntryResult' });
