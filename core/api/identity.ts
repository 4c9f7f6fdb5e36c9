import { z } from 'zod';

const reason = z.string().trim().min(3, 'Say why, in a few words (it goes to the audit log)').max(1000);

export const mergeRequest = z
  .object({ otherCustomerId: z.uuid(), reason })
  .strict()
  .meta({ id: 'MergeRequest', description: 'Merge another customer into this one (the older of the two survives; the other id keeps resolving to it).' });

export const unmergeRequest = z
  .object({ sourceProfileIds: z.array(z.uuid()).min(1).max(1000), reason })
  .strict()
  .meta({ id: 'UnmergeRequest', description: 'Take these source profiles out of the customer. If a merge brought exactly them in, it is undone.' });

export const mergeResult = z
  .object({ survivorId: z.uuid(), absorbedId: z.uuid(), auditId: z.number().int() })
  .meta({ id: 'MergeResult' });

export const unmergeResult = z
  .object({ customerId: z.uuid(), restoredCustomerId: z.uuid(), restored: z.boolean().describe('True when a previous merge was undone and its customer came back with its id.'), auditId: z.number().int() })
  .meta({ id: 'UnmergeResult' });

export const identityChange = z
  .object({
    id: z.number().int(),
    kind: z.enum(['auto_merge', 'manual_merge', 'review_merge', 'review_reject', 'unmerge', 'link']),
    actor: z.string().describe('rule:<rules>, user:<id> or api-key:<id>'),
    reason: z.string().nullable(),
    customerId: z.uuid(),
    customerIds: z.array(z.uuid()),
    details: z.record(z.string(), z.unknown()),
    before: z.unknown(),
    after: z.unknown(),
    undoneBy: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'IdentityChange' });

export const identityHistory = z.object({ data: z.array(identityChange) }).meta({ id: 'IdentityHistory' });

export const lookupQuery = z
  .object({
    source: z.string().trim().min(1).optional(),
    externalId: z.string().trim().min(1).optional(),
    email: z.string().trim().min(3).optional(),
    document: z.string().trim().min(5).optional(),
    phone: z.string().trim().min(5).optional(),
  })
  .refine((q) => (q.source ? !!q.externalId : !q.externalId), { message: 'source and externalId go together', path: ['externalId'] })
  .refine((q) => [q.source, q.email, q.document, q.phone].filter(Boolean).length === 1, {
    message: 'Give exactly one of: source+externalId, email, document, phone',
    path: ['source'],
  });

export const reviewDecision = z
  .object({ decision: z.enum(['merge', 'reject']), reason })
  .strict()
  .meta({ id: 'ReviewDecision' });

export const identityReview = z
  .object({
    id: z.uuid(),
    probability: z.number(),
    weight: z.number(),
    levels: z.record(z.string(), z.string()).describe('Per compared field, how well it matched: the reason for the score.'),
    status: z.enum(['open', 'merged', 'rejected', 'obsolete']),
    createdAt: z.string(),
    a: z.object({ profileId: z.uuid(), customerId: z.uuid().nullable(), source: z.string(), externalId: z.string(), summary: z.record(z.string(), z.unknown()) }),
    b: z.object({ profileId: z.uuid(), customerId: z.uuid().nullable(), source: z.string(), externalId: z.string(), summary: z.record(z.string(), z.unknown()) }),
  })
  .meta({ id: 'IdentityReview' });

export const reviewList = z.object({ data: z.array(identityReview), nextCursor: z.string().nullable() }).meta({ id: 'IdentityReviewPage' });

export const workflowStarted = z
  .object({ workflowId: z.string(), runId: z.string(), temporalUiUrl: z.string() })
  .meta({ id: 'WorkflowStarted' });

export const reviewDecisionResult = z
  .object({
    status: z.enum(['merged', 'rejected']),
    survivorId: z.uuid().optional(),
    absorbedId: z.uuid().optional(),
    auditId: z.number().int().optional(),
  })
  .meta({ id: 'ReviewDecisionResult' });
