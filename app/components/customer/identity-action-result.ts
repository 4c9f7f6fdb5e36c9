// What the customer page's merge and unmerge actions answer; shared by the route and its dialogs.

export type IdentityIntent = 'merge' | 'unmerge';
export type IdentityField = 'otherCustomerId' | 'reason' | 'sourceProfileIds';

export type IdentityActionResult =
  /** A merge answers with a redirect to the survivor instead. */
  | { outcome: 'unmerged'; customerId: string; restoredCustomerId: string; restored: boolean }
  | {
      outcome: 'error';
      intent: IdentityIntent | null;
      error: 'forbidden' | 'invalid' | 'rejected' | 'unknownIntent';
      /** The engine's own explanation (a UserError), when it rejected the request. */
      message: string | null;
      fields: IdentityField[];
    };

export const mergeFetcherKey = (customerId: string) => `identity-merge:${customerId}`;
export const unmergeFetcherKey = (customerId: string) => `identity-unmerge:${customerId}`;
