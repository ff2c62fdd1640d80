/**
 * The simulator's REST API (/api/v10 and /api/v9). Owned by the REST work; the `Simulator`
 * class routes every plain HTTP request of its server here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestServerContext } from './context.js';

export class SimulatorRest {
  constructor(readonly context: RestServerContext) {}

  /** Answer one HTTP request. Never throws; errors become Discord-shaped JSON bodies. */
  handle(_req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
  }
}
