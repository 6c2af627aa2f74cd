import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1:0 in front of a loopback service (the shared PostgreSQL server), so
 * a test can take "the database" away without touching the real cluster, which other test runs
 * share. Modes while cut:
 * - `reset`: open connections are reset and new ones are reset at once — what clients see while
 *   PostgreSQL restarts (connections terminated, then refused);
 * - `blackhole`: open connections stop forwarding and new ones are accepted but never answered —
 *   a network partition.
 * `restore()` forwards again (connections cut earlier stay dead; clients must reconnect).
 */

export interface TcpProxy {
  port: number;
  url(databaseUrl: string): string;
  cut(mode: 'reset' | 'blackhole'): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'reset' | 'blackhole' = 'open';
  const pairs = new Set<[Socket, Socket | null]>();
  /** Connections silenced by a blackhole: destroyed on restore. */
  const frozen = new Set<[Socket, Socket | null]>();
  const server = createServer((client) => {
    client.on('error', () => {});
    if (mode === 'reset') return void client.resetAndDestroy();
    if (mode === 'blackhole') {
      const pair: [Socket, Socket | null] = [client, null];
      pairs.add(pair);
      frozen.add(pair);
      return;
    }
    const upstream = connect(targetPort, targetHost);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => pairs.delete(pair);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url(databaseUrl) {
      const u = new URL(databaseUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut(next) {
      mode = next;
      for (const pair of pairs) {
        const [client, upstream] = pair;
        if (next === 'reset') {
          client.resetAndDestroy();
          upstream?.destroy();
        } else {
          // Stop forwarding in both directions; sockets stay open and silent.
          client.unpipe();
          upstream?.unpipe();
          client.pause();
          upstream?.pause();
          frozen.add(pair);
        }
      }
      if (next === 'reset') pairs.clear();
    },
    restore() {
      mode = 'open';
      // Partitioned connections never come back (their protocol state is lost): end them so clients reconnect.
      for (const pair of frozen) {
        pair[0].destroy();
        pair[1]?.destroy();
        pairs.delete(pair);
      }
      frozen.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream?.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
