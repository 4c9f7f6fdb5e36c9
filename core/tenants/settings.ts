// Tenant settings, stored as jsonb and always read through this schema so defaults apply.
import { z } from 'zod';
import { goldenFields } from '../customers/golden-record.ts';
import { DEFAULT_THRESHOLDS } from '../identity/fellegi-sunter.ts';
import { MATCH_RULES } from '../identity/types.ts';
import { scoringSettings } from '../scoring/settings.ts';

const probability = z.number().min(0).max(1);

export const identitySettings = z
  .object({
    /** Deterministic rules in force. */
    rules: z.array(z.enum(MATCH_RULES as unknown as ['document', 'email', 'phone_last_name'])).default([...MATCH_RULES]),
    /** Probabilistic pass: at or above autoMerge merges; between review and autoMerge opens a review task. */
    // The model's own calibration (core/identity/fellegi-sunter.ts): 0.999 ≈ 10 bits of evidence.
    autoMergeThreshold: probability.default(DEFAULT_THRESHOLDS.autoMerge),
    reviewThreshold: probability.default(DEFAULT_THRESHOLDS.review),
    probabilistic: z.boolean().default(true),
    /** Per golden field, sources in order of trust; unlisted sources rank after, most recent first. */
    sourcePriority: z.partialRecord(z.enum(goldenFields), z.array(z.string().min(1)).max(20)).default({}),
  })
  .refine((s) => s.reviewThreshold <= s.autoMergeThreshold, { message: 'reviewThreshold must not exceed autoMergeThreshold', path: ['reviewThreshold'] })
  .meta({ id: 'IdentitySettings' });

export type IdentitySettings = z.infer<typeof identitySettings>;

export const messagingSettings = z
  .object({
    /** Marketing needs an explicit 'granted' consent (opt-in regimes); default: anything but 'revoked' may receive it. */
    requireExplicitConsent: z.boolean().default(false),
  })
  .meta({ id: 'MessagingSettings' });

export const tenantSettings = z
  .object({
    identity: identitySettings.default(identitySettings.parse({})),
    scoring: scoringSettings.default(scoringSettings.parse({})),
    messaging: messagingSettings.default(messagingSettings.parse({})),
  })
 .meta({ id: 'TenantSettings' });
export type TenantSettings = z.input<typeof tenantSettings>;
export type ResolvedTenantSettings = z.output<typeof tenantSettings>;

/** Settings with defaults; a stored value that no longer validates falls back to defaults rather than breaking resolution. */
export function readTenantSettings(raw: unknown): ResolvedTenantSettings {
  const r = tenantSettings.safeParse(raw ?? {});
  return r.success ? r.data : tenantSettings.parse({});
}
