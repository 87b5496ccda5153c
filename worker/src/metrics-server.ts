import { createServer, type Server } from 'node:http';
import { mayReadMetrics, type Metrics } from '@qihub/api/lib/metrics';

/**
 * The worker has no HTTP server of its own, so its metrics get a small one: GET /metrics, to
 * loopback or with the bearer METRICS_TOKEN (the API's rule); anything else is 404.
 */
export async function serveMetrics(
  metrics: Metrics,
  options: { host: string; port: number; token?: string },
): Promise<Server> {
  const server = createServer((req, res) => {
    const allowed = mayReadMetrics(req.socket.remoteAddress, req.headers.authorization, options.token);
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics' || !allowed) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
