// Custom search attributes the product registers on its Temporal namespace, so ops can filter
// workflows by tenant or customer in the Temporal UI. SQL visibility has few Keyword slots: budget them.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);

export const productSearchAttributes = [TenantIdKey, CustomerIdKey] as const;
