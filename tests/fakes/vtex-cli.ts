// Runs the fake VTEX as its own process (benchmarks, demos): generates the store, prints one JSON line with
// its URL, keys and what it holds, then serves until SIGTERM/SIGINT.
// Usage: node --import tsx tests/fakes/vtex-cli.ts [--orders 5000] [--customers N] [--products 300] [--days 700] [--seed 1] [--port 0]
import { FakeVtex } from './vtex.ts';
import { VtexDataset } from './vtex-data.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ORDERS = arg('orders', 5000);
const DAY = 86_400_000;

const t0 = performance.now();
const data = new VtexDataset({ seed: arg('seed', 1), customers: arg('customers', Math.max(100, Math.round(ORDERS / 2.5))), products: arg('products', 300) });
const now = Date.now();
data.addOrders(ORDERS, { from: now - arg('days', 700) * DAY, to: now - DAY });
let orderTotal = 0;
let items = 0;
for (const o of data.orders) {
  orderTotal += data.totals(o).value;
  items += o.items.length;
}
const fake = new FakeVtex({ data, logRequests: false });
const url = await fake.start();
process.stdout.write(
  JSON.stringify({
    url,
    account: fake.account,
    appKey: fake.appKey,
    appToken: fake.appToken,
    orders: data.orders.length,
    orderTotal,
    items,
    customers: data.customers.filter((c) => c.inCl).length,
    products: data.products.length,
    firstOrderAt: new Date(data.orders[0]?.createdMs ?? now).toISOString(),
    generatedInMs: Math.round(performance.now() - t0),
  }) + '\n',
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void fake.stop().then(() => process.exit(0)));
