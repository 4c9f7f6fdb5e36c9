import { z } from 'zod';

export const MAX_PROFILES_PER_BATCH = 1000;

const text = (max = 200) => z.string().trim().min(1).max(max);

export const address = z
  .object({
    street: text(300).optional(),
    line2: text(300).optional().describe('Apartment, building or property name'),
    city: text().optional(),
    province: text().optional(),
    postalCode: text(20).optional(),
    country: text(60).optional(),
  })
  .strict()
  .meta({ id: 'Address' });

export const profileRecord = z
  .object({
    externalId: text(255).describe("The source's own id for this person; (source, externalId) is the idempotency key."),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: 'Invalid email address' }))
      .optional(),
    dni: text(20).optional(),
    cuit: text(20).optional(),
    phone: text(40).optional(),
    firstName: text().optional(),
    lastName: text().optional(),
    birthDate: z.iso.date().optional().describe('YYYY-MM-DD'),
    address: address.optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'ProfileRecord' });
export type ProfileRecord = z.infer<typeof profileRecord>;

export const profileBatch = z
  .object({
    source: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'source must be lowercase letters, digits, "_", "." or "-" (e.g. "vtex", "erp")'),
    records: z.array(profileRecord).min(1).max(MAX_PROFILES_PER_BATCH),
  })
  .superRefine((b, ctx) => {
    const seen = new Map<string, number>();
    b.records.forEach((r, i) => {
      const first = seen.get(r.externalId);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['records', i, 'externalId'], message: `Duplicate externalId; already at index ${first}` });
      else seen.set(r.externalId, i);
    });
  })
  .meta({ id: 'ProfileBatch' });
export type ProfileBatch = z.infer<typeof profileBatch>;

export const profileBatchResult = z
  .object({
    received: z.number().int(),
    inserted: z.number().int().describe('Profiles new to the CDP.'),
    updated: z.number().int().describe('Profiles that existed and changed.'),
    unchanged: z.number().int().describe('Profiles resent with identical data (retries).'),
  })
  .meta({ id: 'ProfileBatchResult' });
