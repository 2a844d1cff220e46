import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Both signatures checked against the endpoint's secret. */
  verified: boolean;
}

/** Verifies a delivery the way an integrator would, with either kind of verifier. */
export function verify(secret: string, headers: Received['headers'], body: string): boolean {
  const consentry = String(headers['consentry-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(consentry);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest('hex');
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  const standard = createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64')).update(`${id}.${timestamp}.${body}`).digest('base64');
  return expected === match[2] && headers['webhook-signature'] === `v1,${standard}` && timestamp === match[1];
}

/**
 * A real HTTP receiver on loopback that fails its first `failFirst` requests with 500.
 * With `trickle`, it answers 200 and then one byte every 200 ms, never ending: an endpoint that hangs until the sender gives up.
 */
export class Receiver {
  readonly received: Received[] = [];
  attempts = 0;
  secret = '';
  trickle = false;
  /** Requests open now, and the most open at once. */
  open = 0;
  maxOpen = 0;
  private server: Server | null = null;
  private readonly trickles = new Set<NodeJS.Timeout>();
  url = '';

  constructor(public failFirst = 0) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.maxOpen = Math.max(this.maxOpen, ++this.open);
      res.on('close', () => { this.open -= 1; });
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.attempts += 1;
        const body = Buffer.concat(chunks).toString();
        if (this.trickle) {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), 200);
          this.trickles.add(timer);
          res.on('close', () => { clearInterval(timer); this.trickles.delete(timer); });
          return;
        }
        if (this.attempts <= this.failFirst) {
          res.writeHead(500).end('not yet');
          return;
        }
        this.received.push({ headers: req.headers, body, verified: verify(this.secret, req.headers, body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
    return this;
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > end) throw new Error(`only ${this.received.length} of ${count} deliveries arrived (${this.attempts} attempts)`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.trickles) clearInterval(timer);
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
