import { Agent, get, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { Socket } from 'node:net';

/** What a client got back, with the socket it came on. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

/** A request listener whose `/slow` requests wait until `release()`; `arrived(n)` resolves once n of them came. */
export class Gate {
  #count = 0;
  readonly #waiters: Array<{ n: number; resolve(): void }> = [];
  #release!: () => void;
  readonly #opened = new Promise<void>((resolve) => (this.#release = resolve));

  readonly listener: RequestListener = async (request, response) => {
    if (request.url!.startsWith('/slow')) {
      this.#count += 1;
      for (const waiter of this.#waiters.filter((w) => w.n <= this.#count)) waiter.resolve();
      await this.#opened;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`answer to ${request.url}`);
  };

  release(): void {
    this.#release();
  }

  arrived(n: number): Promise<void> {
    return new Promise((resolve) => (this.#count >= n ? resolve() : this.#waiters.push({ n, resolve })));
  }
}

/** GET `path` on 127.0.0.1:`port` through `agent`. */
export function request(port: number, path: string, agent: Agent): Promise<Reply> {
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

/** Keep-alive agents for a test, destroyed by `destroyAll()` after it. */
export class Agents {
  readonly #made: Agent[] = [];
  keepAlive(): Agent {
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    this.#made.push(agent);
    return agent;
  }
  destroyAll(): void {
    for (const agent of this.#made.splice(0)) agent.destroy();
  }
}
