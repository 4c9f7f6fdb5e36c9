import { z } from 'zod';
import { customerScores } from './scoring.ts';

export const customerListQuery = z
  .object({
    q: z.string().trim().max(200).optional().describe('Matches email or name (substring), document number or phone digits.'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
  });

const nullableString = z.string().nullable();

export const customerSummary = z
  .object({
    id: z.uuid(),
    email: nullableString,
    phone: nullableString,
    documentNumber: nullableString,
    firstName: nullableString,
    lastName: nullableString,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CustomerSummary' });

export const customerPage = z
  .object({ data: z.array(customerSummary), nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null at the end.') })
  .meta({ id: 'CustomerPage' });

const fieldSource = z.object({ source: z.string(), externalId: z.string(), at: z.string() });

export const customerProfile = customerSummary
  .extend({
    birthDate: nullableString,
    address: z.record(z.string(), z.string()).nullable(),
    attributes: z.record(z.string(), z.unknown()),
    fieldSources: z.record(z.string(), fieldSource).describe('Which source profile each golden-record field came from.'),
    aliases: z.array(z.uuid()).describe('Customer ids merged into this one; requests with them answer with this customer.'),
    sourceProfiles: z.array(
      z.object({
        id: z.uuid(),
        source: z.string(),
        externalId: z.string(),
        email: nullableString,
        dni: nullableString,
        cuit: nullableString,
        phone: nullableString,
        firstName: nullableString,
        lastName: nullableString,
        birthDate: nullableString,
        address: z.record(z.string(), z.string()).nullable(),
        attributes: z.record(z.string(), z.unknown()),
        identityIssues: z
          .array(z.object({ field: z.string(), value: z.string(), reason: z.string() }))
          .describe('Identifiers kept on the profile but never used for matching, and why.'),
        updatedAt: z.string(),
      }),
    ),
    orderSummary: z.object({
      count: z.number().int(),
      revenueMinor: z.number().int().describe('Integer minor units (centavos) of `currency`.'),
      currency: nullableString,
      firstOrderAt: nullableString,
      lastOrderAt: nullableString,
    }),
    recentEvents: z.array(
      z.object({
        messageId: z.string(),
        type: z.string(),
        event: nullableString,
        properties: z.record(z.string(), z.unknown()).nullable(),
        traits: z.record(z.string(), z.unknown()).nullable(),
        timestamp: z.string(),
      }),
    ),
    scores: customerScores.nullable().describe('The latest nightly scores and the run they came from; null until the customer is first scored.'),
    segments: z.array(z.never()).describe('Filled by segments (not built yet).'),
    journeys: z.array(z.never()).describe('Filled by journeys (not built yet).'),
    messages: z.array(z.never()).describe('Filled by messaging (not built yet).'),
  })
  .meta({ id: 'CustomerProfile' });

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Machine-readable, e.g. invalid_batch, unauthorized, not_found.'),
      message: z.string().describe('For humans.'),
      details: z
        .array(z.object({ index: z.number().int().optional(), path: z.string(), message: z.string() }))
        .optional()
        .describe('Per-item field errors of a rejected batch.'),
    }),
  })
  .meta({ id: 'Error' });
