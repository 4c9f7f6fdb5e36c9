// What the journey engine (and the API's test send) needs from the messaging activities: one idempotent send.
import type { Channel } from '#core/segments/rule.ts';

export type MessageSource =
  | { kind: 'journey'; journeyId: string; journeyVersion: number; nodeId: string; entryId: string }
  | { kind: 'test'; requestedBy: string }
  | { kind: 'api' };

export interface SendMessageInput {
  tenantId: string;
  /**
   * Idempotency key and the messages row id. Journeys derive it from the workflow id and node id (and the run's step
   * index when a node can be visited twice), so a retried activity or a replayed workflow never sends twice.
   */
  messageId: string;
  customerId: string;
  channel: Channel;
  templateId: string;
  /** Transactional messages skip consent checks for marketing, frequency caps and quiet hours. */
  transactional: boolean;
  /** Journey setting `frequencyCap.respectGlobalCaps`. */
  respectGlobalCaps: boolean;
  source: MessageSource;
  /** Extra Liquid variables, e.g. `event` (the entry event's properties: cart contents), `journey`. */
  context?: Record<string, unknown>;
}

export type SendStatus =
  /** Accepted by the provider (now, or by an earlier attempt with the same messageId: `duplicate` is then true). */
  | 'sent'
  /** Deliberately not sent; `reason` says why. */
  | 'skipped'
  /** The provider refused it permanently. */
  | 'failed';

export type SkipReason = 'no_consent' | 'suppressed' | 'capped' | 'no_address' | 'channel_not_configured' | 'template_missing';

export interface SendMessageResult {
  messageId: string;
  status: SendStatus;
  reason?: SkipReason | string;
  /** The same messageId had already been handled; nothing was sent this time. */
  duplicate: boolean;
  /** When capped: when the cap would next allow a send (ISO), so a journey may wait and retry. */
  retryAt?: string;
}

/** Implemented by activities/messaging. Transient provider errors throw (Temporal retries); permanent ones return `failed`. */
export interface MessagingActivities {
  sendMessage(input: SendMessageInput): Promise<SendMessageResult>;
}
