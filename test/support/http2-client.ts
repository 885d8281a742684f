import {
  connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
} from 'node:http2';
import { connect as netConnect } from 'node:net';
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { createGunzip, createInflate } from 'node:zlib';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

interface Answer<Body> {
  status: number;
  /** As received, pseudo-headers included. */
  headers: IncomingHttpHeaders;
  body: Body;
}

/**
 * An HTTP/2 client over TLS to one origin, as a browser is: every request a stream on one
 * connection. `fetch` has the shape of the global one (GET only, gzip and deflate decoded as
 * they arrive), for EventSource and the like; `get` gives the response as sent.
 */
export class Http2Client {
  private session: ClientHttp2Session | undefined;

  constructor(
    private readonly origin: string,
    /** The PEM of the certificate to trust. */
    private readonly ca: string,
    /** The address to connect from, e.g. 127.0.0.2, to be another client. */
    private readonly localAddress?: string,
  ) {}

  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    const { status, headers, body } = await this.request(url, init);
    const plain = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':') && value !== undefined) {
        plain.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      }
    }
    const encoding = headers['content-encoding'];
    const decoded =
      encoding === 'gzip'
        ? body.pipe(createGunzip())
        : encoding === 'deflate'
          ? body.pipe(createInflate())
          : body;
    return new Response(
      NULL_BODY_STATUSES.has(status) ? null : (Readable.toWeb(decoded) as ReadableStream),
      { status, headers: plain },
    );
  };

  /** A GET of `url` on this origin, its body as sent; aborting `init.signal` cancels it. */
  async get(url: string, init: RequestInit = {}): Promise<Answer<ReadableStream<Uint8Array>>> {
    const { body, ...answer } = await this.request(url, init);
    return { ...answer, body: Readable.toWeb(body) as ReadableStream<Uint8Array> };
  }

  close(): void {
    this.session?.destroy();
    this.session = undefined;
  }

  private request(url: string, init: RequestInit): Promise<Answer<ClientHttp2Stream>> {
    const { pathname, search } = new URL(url, this.origin);
    const stream = this.connection().request({
      ':method': 'GET',
      ':path': `${pathname}${search}`,
      ...Object.fromEntries(new Headers(init.headers).entries()),
    });
    const { signal } = init;
    const cancel = () => stream.close(constants.NGHTTP2_CANCEL);
    signal?.addEventListener('abort', cancel, { once: true });
    stream.once('close', () => signal?.removeEventListener('abort', cancel));
    return new Promise((resolve, reject) => {
      stream.once('error', reject);
      stream.once('response', (headers) => {
        resolve({ status: Number(headers[':status']), headers, body: stream });
      });
    });
  }

  private connection(): ClientHttp2Session {
    if (!this.session || this.session.closed || this.session.destroyed) {
      const { hostname, port } = new URL(this.origin);
      this.session = connect(this.origin, {
        createConnection: () =>
          tlsConnect({
            socket: netConnect({
              host: hostname,
              port: Number(port),
              localAddress: this.localAddress,
            }),
            ca: this.ca,
            ALPNProtocols: ['h2'],
            servername: 'localhost',
          }),
      });
      this.session.on('error', () => undefined);
    }
    return this.session;
  }
}
