// Registration of the messaging activities (activities/index.ts spreads these).
import { credentialsKeyring } from '#platform/secrets.ts';
import type { ActivityDeps } from '../index.ts';
import type { MessagingActivities } from './messaging.contract.ts';
import { sendMessage } from './send.ts';

export function createMessagingActivities(deps: ActivityDeps): MessagingActivities {
  return {
    sendMessage: (input) => sendMessage({ db: deps.db, ring: deps.keyring ?? credentialsKeyring() }, input),
  };
}
