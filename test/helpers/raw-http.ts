/** HTTP by hand over a TCP socket, for what an HTTP client will not send: bad framing, partial requests, idle connections. */
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  socket: Socket;
  /** Everything the server sent until it closed the connection. */
  closed: Promise<string>;
}

/** Opens a connection to `origin` and writes `bytes` (possibly an incomplete request); the socket is left open. */
export function rawSend(origin: string, bytes: string | Buffer = ''): Promise<RawExchange> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      const closed = new Promise<string>((done) => socket.on('close', () => done(Buffer.concat(chunks).toString('latin1'))));
      socket.on('error', () => undefined); // a reset is a close too
      if (bytes.length > 0) socket.write(bytes);
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

/** Resolves with `promise`'s value, or with `fallback` once `ms` have passed (a guard against hanging forever, not a timing assertion). */
export function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Status line and headers of a raw response, and its body. */
export function parseRaw(response: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = response.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}
