import { Agent, createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { closeServer, serve } from '../../samples/shared/close-server.js';

// Real HTTP on 127.0.0.1: what a client sees of a sample server that stops. Nothing here measures time.

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

/** A server whose `/slow` requests wait until `release()`; `arrived(n)` resolves once n of them came in. */
async function gatedServer(): Promise<{
  server: Server;
  port: number;
  release(): void;
  arrived(n: number): Promise<void>;
}> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let count = 0;
  const waiters: { n: number; resolve(): void }[] = [];
  const server = createServer(async (request, response) => {
    if (request.url!.startsWith('/slow')) {
      count += 1;
      for (const waiter of waiters.filter((w) => w.n <= count)) waiter.resolve();
      await gate;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`answer to ${request.url}`);
  });
  await serve(server, 0);
  const arrived = (n: number) =>
    new Promise<void>((resolve) => (count >= n ? resolve() : waiters.push({ n, resolve })));
  return { server, port: (server.address() as AddressInfo).port, release, arrived };
}

function request(port: number, path: string, agent: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = get({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body, socket: outgoing.socket! }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
  });
}

describe("closeServer, the samples' way to stop an HTTP server", () => {
  const agents: Agent[] = [];
  const keepAlive = () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    agents.push(agent);
    return agent;
  };
  afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

  it('lets every request in flight at stop finish with its full answer, telling the client the connection closes', async () => {
    const { server, port, release, arrived } = await gatedServer();
    const agent = keepAlive();
    const replies = Promise.all(Array.from({ length: 20 }, (_, i) => request(port, `/slow?n=${i}`, agent)));
    await arrived(20);

    const closed = closeServer(server, new AbortController().signal);
    release();

    const answers = await replies;
    await closed;
    expect(answers.map((reply) => [reply.status, reply.body, reply.headers.connection])).toEqual(
      Array.from({ length: 20 }, (_, i) => [200, `answer to /slow?n=${i}`, 'close']),
    );
    expect(server.listening).toBe(false);
  });

  it('closes an idle keep-alive connection at once, while a request is still in flight', async () => {
    const { server, port, release, arrived } = await gatedServer();
    const idle = await request(port, '/fast', keepAlive());
    const idleClosed = new Promise<void>((resolve) => idle.socket.once('close', () => resolve()));
    const slow = request(port, '/slow', keepAlive());
    await arrived(1);

    const closed = closeServer(server, new AbortController().signal);
    await idleClosed; // before the request in flight is released: it would hang here if the idle socket lingered
    release();

    expect((await slow).body).toBe('answer to /slow');
    await closed;
  });

  it('destroys a request still running when the signal aborts, and then resolves', async () => {
    const { server, port, arrived } = await gatedServer();
    const stuck = request(port, '/slow', keepAlive()).catch((error: NodeJS.ErrnoException) => error);
    await arrived(1);
    const deadline = new AbortController();

    const closed = closeServer(server, deadline.signal);
    deadline.abort();

    await closed;
    expect(await stuck).toMatchObject({ code: 'ECONNRESET' });
  });

  it('destroys every connection at once when the signal has already aborted', async () => {
    const { server, port, arrived } = await gatedServer();
    const stuck = request(port, '/slow', keepAlive()).catch((error: NodeJS.ErrnoException) => error);
    await arrived(1);

    await closeServer(server, AbortSignal.abort());

    expect(await stuck).toMatchObject({ code: 'ECONNRESET' });
  });

  it('resolves at once for a server that was never created', async () => {
    await expect(closeServer(undefined, new AbortController().signal)).resolves.toBeUndefined();
  });
});
