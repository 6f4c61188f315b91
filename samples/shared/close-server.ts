import type { Server } from 'node:http';

/** Stops `server` listening and drops its idle keep-alive connections, resolving once it is closed. */
export function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
