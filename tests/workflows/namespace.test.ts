// prepareNamespace makes any namespace fit for the product (used by npm start and the compose setup step).
import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { prepareNamespace } from '#platform/temporal.ts';
import { eventually } from '../support/temporal.ts';

let conn: Connection;
beforeAll(async () => {
  conn = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => conn?.close());

describe('prepareNamespace', () => {
  it('raises retention to 7 days and registers TenantId and CustomerId as Keyword, idempotently', async () => {
    const namespace = `ns-${randomBytes(4).toString('hex')}`;
    await conn.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) } });
    await eventually(async () => conn.workflowService.describeNamespace({ namespace }), 10_000, 'namespace');

    const first = await prepareNamespace(conn, namespace);
    expect(first).toEqual({ retentionDays: 7, added: ['TenantId', 'CustomerId'] });
    const described = await conn.workflowService.describeNamespace({ namespace });
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);
    const attrs = await conn.operatorService.listSearchAttributes({ namespace });
    // 2 = KEYWORD in temporal.api.enums.v1.IndexedValueType
    expect(attrs.customAttributes).toMatchObject({ TenantId: 2, CustomerId: 2 });

    expect(await prepareNamespace(conn, namespace)).toEqual({ retentionDays: 7, added: [] });
  });
});
