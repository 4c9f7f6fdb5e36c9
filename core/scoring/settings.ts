// Tenant scoring settings (tenants.settings.scoring), always read through this schema so defaults apply.
import { z } from 'zod';

const days = z.number().int().min(1).max(3650);

export const scoringSettings = z
  .object({
    /** The nightly Schedule runs at this local time in the tenant's time zone. */
    scheduleTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour')
      .default('02:00'),
    scheduleEnabled: z.boolean().default(true),
    /** Frequency and monetary of RFM count orders of this trailing window; recency looks at all history. */
    rfmWindowDays: days.default(365),
    lifecycle: z
      .object({
        activeDays: days.default(90),
        atRiskDays: days.default(180),
        dormantDays: days.default(365),
        loyalOrders365: z.number().int().min(2).max(1000).default(4),
        reactivationDays: days.default(90),
      })
      .refine((t) => t.activeDays < t.atRiskDays && t.atRiskDays < t.dormantDays, { message: 'activeDays < atRiskDays < dormantDays' })
      .default({ activeDays: 90, atRiskDays: 180, dormantDays: 365, loyalOrders365: 4, reactivationDays: 90 }),
    /** CLV discount per month (0.01 = 1 %). */
    monthlyDiscountRate: z.number().min(0).max(0.5).default(0.01),
    /** Churn early warning fires when P(alive) falls below this. */
    churnThreshold: z.number().gt(0).lt(1).default(0.5),
    /** Products bought in this many days are not recommended again. */
    recentPurchaseDays: days.default(30),
    recommendations: z.number().int().min(1).max(50).default(10),
    /** Propensity horizon (days) and training window. */
    propensityDays: days.default(30),
  })
  .meta({ id: 'ScoringSettings' });

export type ScoringSettings = z.output<typeof scoringSettings>;

/** Settings with defaults; a stored value that no longer validates falls back to defaults rather than breaking the run. */
export function readScoringSettings(raw: unknown): ScoringSettings {
  const r = scoringSettings.safeParse(raw ?? {});
  return r.success ? r.data : scoringSettings.parse({});
}

/** Statuses (lower-case) of orders that do not count for any score: cancelled, refunded, failed or never paid. */
export const INVALID_ORDER_STATUSES = [
  'cancel',
  'canceled',
  'cancelled',
  'canceling',
  'cancellation-requested',
  'refunded',
  'refund',
  'returned',
  'invalid',
  'payment-denied',
  'rejected',
  'voided',
] as const;

/** BG/NBD and Gamma–Gamma run in weeks (the period lifetimes and the published CDNOW numbers use). */
export const PERIOD_DAYS = 7;
/** Weeks per month, lifetimes' convention for weekly data. */
export const PERIODS_PER_MONTH = 4.345;
