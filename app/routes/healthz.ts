/** Liveness: the process serves HTTP. Dependencies are /readyz's business. */
export const loader = () => new Response('ok', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
