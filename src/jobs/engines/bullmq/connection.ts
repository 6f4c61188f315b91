import { Redis, type RedisOptions } from 'ioredis';
import type { BullmqConnection } from '../../jobs-options.js';

/**
 * The engine's own ioredis connection, from a `redis://` URL or ioredis options. `maxRetriesPerRequest: null` is
 * what BullMQ's workers require (they refuse a connection without it); `lazyConnect` keeps `createBackend` free of
 * I/O until `open()`.
 */
export function connect(connection: BullmqConnection): Redis {
  const fixed: RedisOptions = { maxRetriesPerRequest: null, lazyConnect: true };
  return typeof connection === 'string'
    ? new Redis(connection, fixed)
    : new Redis({ ...(connection as RedisOptions), ...fixed });
}

/** The connection as logs and errors may name it: the URL without its password, or host and port. */
export function describeConnection(connection: BullmqConnection): string {
  if (typeof connection === 'string') {
    try {
      const url = new URL(connection);
      if (url.password) url.password = '***';
      return url.toString();
    } catch {
      return 'an unparsable Redis URL';
    }
  }
  return `${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}
