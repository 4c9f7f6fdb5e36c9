// Ready-made journeys a marketer starts from. Each is a function of the tenant's template and segment ids, returns a
// definition that passes validateJourney, and uses readable, stable node ids.
import { type JourneyDefinition, journeyDefinition, type JourneyDefinitionInput } from './definition.ts';

const HOUR = 3600;
const DAY = 86_400;

export interface AbandonedCartOptions {
  firstReminderTemplateId: string;
  secondReminderTemplateId: string;
  /** The cart event that starts the journey and the purchase event that ends it; both carry the cart id. */
  cartEvent?: string;
  purchaseEvent?: string;
  cartIdProperty?: string;
}

/** Cart event keyed by cart id → wait 1 h for a purchase of the same cart → email → 24 h → second email; purchase exits. */
export function abandonedCartJourney(o: AbandonedCartOptions): JourneyDefinition {
  const purchase = { event: o.purchaseEvent ?? 'Order Completed', keyed: true };
  const input: JourneyDefinitionInput = {
    nodes: [
      { id: 'entry', type: 'entry', name: 'Cart updated', trigger: { kind: 'event', event: o.cartEvent ?? 'Product Added', correlationKey: o.cartIdProperty ?? 'cart_id' }, next: 'wait-purchase' },
      {
        id: 'wait-purchase',
        type: 'wait',
        name: 'Wait 1 h for the purchase',
        conditions: [{ kind: 'event', id: 'purchased', match: purchase, next: 'exit-purchased' }],
        timeoutSeconds: HOUR,
        timeoutNext: 'email-reminder-1',
      },
      { id: 'email-reminder-1', type: 'message', name: 'Cart reminder', channel: 'email', templateId: o.firstReminderTemplateId, next: 'delay-24h' },
      { id: 'delay-24h', type: 'delay', name: '24 hours', delay: { kind: 'duration', seconds: 24 * HOUR }, next: 'email-reminder-2' },
      { id: 'email-reminder-2', type: 'message', name: 'Second reminder', channel: 'email', templateId: o.secondReminderTemplateId, next: 'exit' },
      { id: 'exit-purchased', type: 'exit', reason: 'purchased' },
      { id: 'exit', type: 'exit' },
    ],
    settings: {
      // One run per cart; a new cart may start again once the previous run is over.
      reEntry: { mode: 'after_exit' },
      exitCriteria: [{ kind: 'event', match: purchase }],
      goal: { match: { kind: 'event', match: purchase }, windowSeconds: 3 * DAY, exitOnGoal: true },
      quietHours: { start: '22:00', end: '08:00', behavior: 'defer' },
    },
  };
  return journeyDefinition.parse(input);
}

export interface WelcomeOptions {
  /** The segment of NEW customers (lifecycle state NEW). */
  newCustomersSegmentId: string;
  welcomeTemplateId: string;
  tipsTemplateId: string;
  secondOrderTemplateId: string;
}

/** Welcome series on entering NEW: welcome now, tips after 2 days, a second-order nudge after 5 more unless they bought. */
export function welcomeSeriesJourney(o: WelcomeOptions): JourneyDefinition {
  return journeyDefinition.parse({
    nodes: [
      { id: 'entry', type: 'entry', name: 'Became a new customer', trigger: { kind: 'segment_entered', segmentId: o.newCustomersSegmentId }, next: 'email-welcome' },
      { id: 'email-welcome', type: 'message', name: 'Welcome', channel: 'email', templateId: o.welcomeTemplateId, next: 'delay-2d' },
      { id: 'delay-2d', type: 'delay', delay: { kind: 'duration', seconds: 2 * DAY }, next: 'email-tips' },
      { id: 'email-tips', type: 'message', name: 'Tips', channel: 'email', templateId: o.tipsTemplateId, next: 'delay-5d' },
      { id: 'delay-5d', type: 'delay', delay: { kind: 'duration', seconds: 5 * DAY }, next: 'delay-10am' },
      { id: 'delay-10am', type: 'delay', name: 'At 10:00 local', delay: { kind: 'local_time', hour: 10, minute: 0 }, next: 'split-bought-again' },
      {
        id: 'split-bought-again',
        type: 'split',
        branches: [
          {
            id: 'repeat-buyer',
            label: 'Bought again',
            condition: { kind: 'orders', metric: 'count', predicate: { type: 'number', op: 'gte', value: 2 } },
            next: 'exit',
          },
        ],
        elseNext: 'email-second-order',
      },
      { id: 'email-second-order', type: 'message', name: 'Second order', channel: 'email', templateId: o.secondOrderTemplateId, next: 'exit' },
      { id: 'exit', type: 'exit' },
    ],
    settings: {
      reEntry: { mode: 'never' },
      exitCriteria: [{ kind: 'segment_exited', segmentId: o.newCustomersSegmentId }],
      quietHours: { start: '21:00', end: '09:00', behavior: 'defer' },
    },
  } satisfies JourneyDefinitionInput);
}

export interface ReEngagementOptions {
  /** Enter on the AT_RISK segment, or on the churn-risk alert event emitted by scoring. */
  trigger: { kind: 'segment'; atRiskSegmentId: string } | { kind: 'event'; event?: string };
  offerEmailTemplateId: string;
  plainEmailTemplateId: string;
  whatsappTemplateId: string;
}

/** Re-engagement: A/B (offer vs plain email, 10% holdout) → wait 7 days for an order → WhatsApp follow-up if none. */
export function reEngagementJourney(o: ReEngagementOptions): JourneyDefinition {
  const trigger = o.trigger.kind === 'segment' ? { kind: 'segment_entered' as const, segmentId: o.trigger.atRiskSegmentId } : { kind: 'event' as const, event: o.trigger.event ?? 'Churn Risk Alert' };
  const order = { event: 'Order Completed' };
  return journeyDefinition.parse({
    nodes: [
      { id: 'entry', type: 'entry', name: 'At risk', trigger, next: 'experiment' },
      {
        id: 'experiment',
        type: 'experiment',
        variants: [
          { id: 'offer', label: 'With offer', weight: 50, next: 'email-offer' },
          { id: 'plain', label: 'Without offer', weight: 50, next: 'email-plain' },
        ],
        holdoutPercent: 10,
        holdoutNext: 'exit',
      },
      { id: 'email-offer', type: 'message', channel: 'email', templateId: o.offerEmailTemplateId, next: 'wait-order' },
      { id: 'email-plain', type: 'message', channel: 'email', templateId: o.plainEmailTemplateId, next: 'wait-order' },
      { id: 'wait-order', type: 'wait', conditions: [{ kind: 'event', id: 'ordered', match: order, next: 'exit' }], timeoutSeconds: 7 * DAY, timeoutNext: 'split-consent' },
      {
        id: 'split-consent',
        type: 'split',
        branches: [{ id: 'whatsapp-ok', label: 'WhatsApp consent', condition: { kind: 'consent', channel: 'whatsapp' }, next: 'whatsapp-follow-up' }],
        elseNext: 'exit',
      },
      { id: 'whatsapp-follow-up', type: 'message', channel: 'whatsapp', templateId: o.whatsappTemplateId, next: 'exit' },
      { id: 'exit', type: 'exit' },
    ],
    settings: {
      reEntry: { mode: 'after_window', windowSeconds: 90 * DAY },
      exitCriteria: [{ kind: 'event', match: order }],
      goal: { match: { kind: 'event', match: order }, windowSeconds: 14 * DAY, exitOnGoal: true },
      quietHours: { start: '21:00', end: '09:00', behavior: 'defer' },
    },
  } satisfies JourneyDefinitionInput);
}

export interface DateJourneyOptions {
  templateId: string;
  /** Local hour in the customer's time zone. */
  localHour?: number;
}

/** Birthday greeting at a local hour (Feb 29 birthdays on Feb 28 in common years), once a year. */
export function birthdayJourney(o: DateJourneyOptions): JourneyDefinition {
  return dateJourney('birthday', 'Birthday', o);
}

/** Purchase anniversary: a year after the first order, at a local hour, once a year. */
export function purchaseAnniversaryJourney(o: DateJourneyOptions): JourneyDefinition {
  return dateJourney('first_order_anniversary', 'Purchase anniversary', o);
}

function dateJourney(date: 'birthday' | 'first_order_anniversary', name: string, o: DateJourneyOptions): JourneyDefinition {
  return journeyDefinition.parse({
    nodes: [
      { id: 'entry', type: 'entry', name, trigger: { kind: 'date', date, localHour: o.localHour ?? 9 }, next: 'email' },
      { id: 'email', type: 'message', channel: 'email', templateId: o.templateId, next: 'exit' },
      { id: 'exit', type: 'exit' },
    ],
    settings: { reEntry: { mode: 'after_window', windowSeconds: 300 * DAY } },
  } satisfies JourneyDefinitionInput);
}

export const JOURNEY_TEMPLATES = [
  { id: 'abandoned-cart', name: 'Abandoned cart recovery', build: abandonedCartJourney },
  { id: 'welcome-series', name: 'Welcome series for new customers', build: welcomeSeriesJourney },
  { id: 're-engagement', name: 'Re-engagement for at-risk customers', build: reEngagementJourney },
  { id: 'birthday', name: 'Birthday', build: birthdayJourney },
  { id: 'purchase-anniversary', name: 'Purchase anniversary', build: purchaseAnniversaryJourney },
] as const;
