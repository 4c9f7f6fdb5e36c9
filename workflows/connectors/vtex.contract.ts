// Shapes shared by the VTEX workflows and activities (no workflow bodies here, so activities may import it).
import { defineSignal } from '@temporalio/workflow';
import type { SyncCounts, SyncProgress } from '#core/connectors/types.ts';
import type { TimeWindow } from '#core/connectors/windows.ts';

/** Order windows fetched at once (each window's pages in order); each page fetches its details DETAIL_CONCURRENCY (activities) at a time. */
export const ORDER_LANES = 4;
/** A backfill window aims at this many orders, leaving headroom under VTEX's 30 × 100 cap for late arrivals. */
export const ORDERS_PER_WINDOW = 2000;

export interface OrderWindow extends TimeWindow {
  /** The next page to fetch. */
  page: number;
}

export interface VtexStreams {
  customers: boolean;
  orders: boolean;
  products: boolean;
  /** Catalog pass to resume (offset), when one was cut short. */
  productsFrom: number;
}

export type VtexStage = 'plan' | 'customers' | 'orders' | 'products' | 'feed' | 'inbox' | 'done';

/** Carried across continue-as-new. */
export interface VtexSyncState {
  stage: VtexStage;
  streams?: VtexStreams;
  counts: SyncCounts;
  customers?: { token?: string };
  orders?: { queue: OrderWindow[]; doneWindows: number; totalWindows: number };
  products?: { from: number };
  /** Profiles were written since the ingest workflow was last told. */
  profilesDirty?: boolean;
  /** This appKey's Feed v3 exists (orders stream on). */
  feed?: boolean;
  /** Continue-as-new after this many pages (default 400); tests lower it. */
  maxPagesPerRun?: number;
}

export type OrdersPageResult =
  | { kind: 'split'; total: number }
  | { kind: 'page'; pages: number; counts: SyncCounts; profilesChanged: number; alreadyCommitted?: boolean };

/** A window's pages in one activity (vtexOrdersWindow): `pagesDone` committed now, `next` set when the budget cut it short. */
export type OrdersWindowResult =
  | { kind: 'split'; total: number; counts: SyncCounts; profilesChanged: number }
  | { kind: 'window'; pages: number; pagesDone: number; next?: number; counts: SyncCounts; profilesChanged: number };

export interface PageInput {
  tenantId: string;
  connectionId: string;
  runId: string;
}

export interface OrdersPageInput extends PageInput {
  window: TimeWindow;
  page: number;
  progress?: SyncProgress;
}

export interface OrdersWindowInput extends OrdersPageInput {
  /** Commit at most this many pages, then return `next` (the workflow's history budget). */
  maxPages: number;
}

/** The inbox-drain workflow of a connection: one at a time, woken by the webhook route. */
export const vtexInboxWorkflowId = (connectionId: string) => `vtex-inbox:${connectionId}`;

export interface VtexInboxInput {
  tenantId: string;
  connectionId: string;
  /** A notification arrived before continue-as-new and was not drained yet. */
  pending?: boolean;
}

/** New notifications are waiting in webhook_inbox. */
export const vtexInboxSignal = defineSignal('inboxPending');

export interface VtexConfigureHookInput {
  tenantId: string;
  connectionId: string;
  /** Where VTEX will POST: `${PUBLIC_URL}/webhooks/vtex/${connectionId}`. */
  url: string;
}
