/**
 * A TCP proxy (node:net) between a store and the real PostgreSQL server, to take the database away mid-run: `cut()`
 * resets every open connection (RST) and closes the listener, so new connections are refused (ECONNREFUSED) until
 * `restore()` listens on the same port again. Two triggers cut at a precise point of the wire protocol (the test
 * server speaks plain text on 127.0.0.1, so the SQL of each Parse message is visible):
 * - `cutOnClientText(text)`: before forwarding the first client bytes containing `text` (e.g. an INSERT inside a
 *   transaction: the server never sees it and rolls the transaction back);
 * - `cutOnCommitAfter(text)`: once a connection has sent `text`, its next COMMIT is forwarded and the server's
 *   answer is dropped and everything cut (the commit applied, the client cannot know: outcome unknown).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface FaultProxy {
  readonly port: number;
  /** Whether the database is cut away (connections refused). */
  readonly down: boolean;
  /** How many cuts happened so far. */
  readonly cuts: number;
  /** `url` (a postgres:// URL) with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  /** Resets every open connection and refuses new ones until restore(). */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  /** Cuts when a client next sends bytes containing `text` (before forwarding them); resolves after the cut. */
  cutOnClientText(text: string): Promise<void>;
  /** Cuts when the server answers the first COMMIT sent on a connection after `text` (the answer is dropped). */
  cutOnCommitAfter(text: string): Promise<void>;
  /** Stops the proxy and closes every connection. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly server: Socket;
  /** The last client bytes (latin1), to match text split across chunks. */
  recent: string;
  armedForCommit: boolean;
  dropReplies: boolean;
}

interface Trigger {
  readonly kind: 'text' | 'commit-after';
  readonly text: string;
  readonly fire: () => void;
}

/** Starts a proxy on 127.0.0.1 (a free port) to `host:port`. */
export async function startFaultProxy(host: string, port: number): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  const triggers: Trigger[] = [];
  let down = false;
  let cuts = 0;
  let listenPort = 0;
  let server: Server;

  const cutAll = async (): Promise<void> => {
    if (down) return;
    down = true;
    cuts++;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const p of pairs) {
      p.client.resetAndDestroy();
      p.server.destroy();
    }
    pairs.clear();
    await closed;
  };

  const onConnection = (client: Socket): void => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host, port });
    const pair: Pair = { client, server: upstream, recent: '', armedForCommit: false, dropReplies: false };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    upstream.on('data', (chunk: Buffer) => {
      if (pair.dropReplies) {
        void cutAll();
        return;
      }
      client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      // only bytes of this chunk, plus enough of the previous ones to match a text split across two chunks
      const seen = (needle: string): boolean => (pair.recent.slice(-(needle.length - 1)) + text).includes(needle);
      for (const [i, t] of triggers.entries()) {
        if (t.kind === 'text' && seen(t.text)) {
          triggers.splice(i, 1);
          void cutAll().then(t.fire);
          return;
        }
        if (t.kind === 'commit-after' && pair.armedForCommit && /\bcommit\b/i.test(text)) {
          triggers.splice(i, 1);
          pair.dropReplies = true;
          upstream.write(chunk);
          // the server's answer ends it (dropped by the reply handler, which cuts): the commit was applied
          void new Promise<void>((r) => upstream.once('data', () => r())).then(() => cutAll()).then(t.fire);
          return;
        }
        if (t.kind === 'commit-after' && seen(t.text)) pair.armedForCommit = true;
      }
      pair.recent = (pair.recent + text).slice(-8192);
      upstream.write(chunk);
    });
  };

  const listen = (p: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : p);
      });
    });
  listenPort = await listen(0);

  const waitFor = (kind: Trigger['kind'], text: string): Promise<void> =>
    new Promise((fire) => {
      triggers.push({ kind, text, fire });
    });

  return {
    get port() {
      return listenPort;
    },
    get down() {
      return down;
    },
    get cuts() {
      return cuts;
    },
    urlFor(url: string): string {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(listenPort);
      return u.toString();
    },
    cut: cutAll,
    async restore() {
      if (!down) return;
      await listen(listenPort);
      down = false;
    },
    cutOnClientText: (text) => waitFor('text', text),
    cutOnCommitAfter: (text) => waitFor('commit-after', text),
    async close() {
      triggers.length = 0;
      if (!down) await cutAll();
    },
  };
}
