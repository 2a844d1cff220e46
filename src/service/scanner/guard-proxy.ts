/**
 * The browser's only way out when private addresses are not allowed: an HTTP
 * proxy on loopback that connects with the webhooks' address guard. Chromium
 * resolves no name itself then (the proxy does), so neither a page's
 * subresources, its redirects nor a DNS answer that changes between a check
 * and the connection can reach a private, loopback or link-local address.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { BlockedAddressError, guardedLookup, refuseLiteralPrivateHost } from '../delivery/address-guard.ts';

export interface GuardProxy {
  /** For Chromium's `--proxy-server`. */
  url: string;
  /** Requests refused so far (host names, for the scan's messages). */
  refused: string[];
  close(): Promise<void>;
}

const REFUSED_STATUS = 403;

export async function startGuardProxy(allowPrivate: boolean): Promise<GuardProxy> {
  const refused: string[] = [];
  const lookup = guardedLookup(allowPrivate);
  const sockets = new Set<Socket>();
  const refuse = (host: string) => {
    if (refused.length < 100) refused.push(host);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:') throw new Error('not http');
      refuseLiteralPrivateHost(target, allowPrivate);
    } catch (error) {
      if (error instanceof BlockedAddressError) refuse(req.url ?? '');
      res.writeHead(REFUSED_STATUS, { 'content-type': 'text/plain' }).end('Refused by the Consentry scanner: private address');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = request(target, { method: req.method, headers, lookup: lookup as never }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.rawHeaders as unknown as Record<string, string>);
      response.pipe(res);
    });
    upstream.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code === 'ERR_CONSENTRY_BLOCKED_ADDRESS') refuse(target.hostname);
      if (!res.headersSent) res.writeHead(REFUSED_STATUS).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });

  // HTTPS (and WebSockets): a tunnel to the guarded address.
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host = '', portText = '443'] = splitHostPort(req.url ?? '');
    const fail = () => {
      client.end(`HTTP/1.1 ${REFUSED_STATUS} Forbidden\r\n\r\n`);
    };
    try {
      refuseLiteralPrivateHost(new URL(`https://${host.includes(':') ? `[${host}]` : host}/`), allowPrivate);
    } catch {
      refuse(host);
      return fail();
    }
    const upstream = connect({ host, port: Number(portText), lookup: lookup as never });
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code === 'ERR_CONSENTRY_BLOCKED_ADDRESS') refuse(host);
      if (client.writable) fail();
      client.destroy();
    });
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** `host:port` of a CONNECT request, IPv6 in brackets. */
function splitHostPort(authority: string): [string, string] {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(authority);
  if (v6) return [v6[1]!, v6[2]!];
  const i = authority.lastIndexOf(':');
  return i < 0 ? [authority, '443'] : [authority.slice(0, i), authority.slice(i + 1)];
}
