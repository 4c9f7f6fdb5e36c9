import pino, { type Logger } from 'pino';
import { env } from './env.ts';

let root: Logger | undefined;

/** One pino logger per process; children per component. Pretty output only on a TTY in development. */
export function logger(component?: string): Logger {
  if (!root) {
    const e = env();
    const pretty = e.NODE_ENV === 'development' && process.stdout.isTTY;
    root = pino({
      level: e.LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'], remove: true },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'HH:MM:ss' } } } : {}),
    });
  }
  return component ? root.child({ component }) : root;
}
