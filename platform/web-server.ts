// The HTTP server: static assets of the React Router build plus its request handler (pages and API).
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequestHandler } from '@react-router/express';
import compression from 'compression';
import express from 'express';
import type { ServerBuild } from 'react-router';
import { logger } from './logger.ts';

export const buildDir = path.resolve('build');
export const serverBuildPath = path.join(buildDir, 'server', 'index.js');

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebServer(opts: { host: string; port: number; mode: string }): Promise<WebServer> {
  if (!fs.existsSync(serverBuildPath)) throw new Error(`No web build at ${serverBuildPath}: run \`npm run build\` first.`);
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const log = logger('web');
  const app = express();
  app.disable('x-powered-by');
  app.use(compression());
  app.use('/assets', express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y' }));
  app.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h' }));
  app.all('*splat', createRequestHandler({ build, mode: opts.mode }));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, () => resolve(s)).once('error', reject);
  });
  // Ingest clients keep connections alive across batches; outlive typical client idle timeouts.
  server.keepAliveTimeout = 65_000;
  // File imports stream bodies of up to 2 GB: Node's default of 5 minutes per request would cut a slow upload.
  server.requestTimeout = 60 * 60_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  log.info({ port }, 'web listening');
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      }),
  };
}
