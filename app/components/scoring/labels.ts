// Message keys of segment and lifecycle names (typed: a state the UI does not know shows as its raw name).
import type { MessageKey } from '#app/i18n/messages.ts';

export const segmentKey = (segment: string) => `segment.${segment}` as MessageKey;
export const lifecycleKey = (state: string) => `lifecycle.${state}` as MessageKey;
