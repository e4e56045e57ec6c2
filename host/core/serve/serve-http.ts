// The sidecar's HTTP mode, for Vector's end-to-end acknowledgements. Batches come from Vector's
// `http` sink (a JSON array or newline-delimited JSON, gzip or deflate when it compresses); each
// event goes through the module exactly as in the socket mode; what comes out is posted as
// newline-delimited JSON to Vector's `http_server` source, which, with acknowledgements on, answers
// only once the events reached its sinks. The sink's request is answered 200 only after that post
// was answered 2xx, and 503 otherwise, so the sink retries the batch: every event is delivered at
// least once, end to end, with no window to size. Memory is bounded: requests are taken only while
// the bytes in hand stay under a limit (429, which the sink retries later, past it), a body past
// MAX_BODY_BYTES is refused (413), and a post the downstream does not answer in time fails (503).
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gunzip, inflate } from "node:zlib";
import { UsageError } from "../errors.js";
import { eventTime, type FluentBitFilter } from "../module/harness.js";
import { isBlank } from "../io/input.js";
import { formatAddress, type Address } from "./serve-downstream.js";
import { listenOn, type Observer } from "./serve.js";

/** The largest request body, after decompression. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Bytes of requests in hand (bodies, and what the module made of them) past which a new request gets 429. */
export const PENDING_LIMIT_BYTES = 64 * 1024 * 1024;
/** What a request is reckoned to hold before its body says more: a batch's headers, buffers, a small body. */
const MIN_RESERVATION = 64 * 1024;
/** How long the downstream has to answer a post. */
export const DOWNSTREAM_TIMEOUT_MS = 30_000;
/** Connections kept open to the downstream. */
const DOWNSTREAM_SOCKETS = 16;

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** An http:// URL (Vector's http_server source); a UsageError otherwise. */
export function parseForwardUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--forward must be an http:// URL with --http (Vector's http_server source), not ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "http:") throw new UsageError(`--forward must be an http:// URL with --http, not ${JSON.stringify(text)}`);
  return url;
}

/**
 * The events of a batch, each as its own bytes: the elements of a JSON array body (split, not
 * parsed and written again, so each event reaches the module exactly as Vector wrote it), or the
 * lines of a newline-delimited one (blank lines skipped). A body that starts as an array but is not
 * a whole one goes as one event, which the module marks unreadable and passes on: never lost.
 */
export function batchEvents(body: Buffer): Buffer[] {
  let start = 0;
  while (start < body.length && (body[start] === 0x20 || body[start] === 0x09 || body[start] === 0x0a || body[start] === 0x0d)) start++;
  if (body[start] === 0x5b) return arrayElements(body, start) ?? [body];
  const events: Buffer[] = [];
  let from = 0;
  for (let nl = body.indexOf(0x0a); from < body.length; nl = body.indexOf(0x0a, from)) {
    const end = nl < 0 ? body.length : nl;
    const line = body.subarray(from, end > from && body[end - 1] === 0x0d ? end - 1 : end);
    if (!isBlank(line)) events.push(line);
    from = end + 1;
  }
  return events;
}

/** The top-level elements of the JSON array at `open`, or null when it is not one whole array. */
function arrayElements(body: Buffer, open: number): Buffer[] | null {
  const elements: Buffer[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < body.length; i++) {
    const b = body[i];
    if (b === 0x22) {
      // A string, most of an event: to its closing quote, one not escaped, by indexOf (memchr).
      for (let close = body.indexOf(0x22, i + 1); ; close = body.indexOf(0x22, close + 1)) {
        if (close < 0) return null;
        let backslashes = 0;
        while (body[close - 1 - backslashes] === 0x5c) backslashes++;
        if (backslashes % 2 === 0) {
          i = close;
          break;
        }
      }
    } else if (b === 0x7b || b === 0x5b) depth++;
    else if ((b === 0x7d || b === 0x5d) && depth > 0) depth--;
    else if ((b === 0x2c || b === 0x5d) && depth === 0) {
      const element = trim(body.subarray(from, i));
      if (element.length) elements.push(element);
      else if (b === 0x2c || elements.length) return null; // an empty element: not JSON
      from = i + 1;
      if (b === 0x5d) return trim(body.subarray(i + 1)).length ? null : elements;
    }
  }
  return null;
}

function trim(b: Buffer): Buffer {
  let s = 0;
  let e = b.length;
  while (s < e && (b[s] === 0x20 || b[s] === 0x09 || b[s] === 0x0a || b[s] === 0x0d)) s++;
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0x09 || b[e - 1] === 0x0a || b[e - 1] === 0x0d)) e--;
  return b.subarray(s, e);
}

export interface HttpSidecarStats {
  requests: number;
  /** Requests answered, by status. */
  answered: Record<number, number>;
  in: number;
  /** Request bodies' bytes as they came (compressed when the sink compresses). */
  bytesIn: number;
  out: number;
  /** The bytes of the posts the downstream answered 2xx. */
  bytesOut: number;
  /** Posts to the downstream that failed: an error, a timeout, or an answer other than 2xx. */
  downstreamFailures: number;
  lost: number;
  inHand: number;
  inHandBytes: number;
}

class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class HttpSidecar {
  private readonly server: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: DOWNSTREAM_SOCKETS });
  private stopping = false;
  private idle?: () => void;
  /** Requests whose body is still arriving. */
  private readonly reading = new Set<IncomingMessage>();
  private readonly counts: HttpSidecarStats = {
    requests: 0, answered: {}, in: 0, bytesIn: 0, out: 0, bytesOut: 0, downstreamFailures: 0, lost: 0, inHand: 0, inHandBytes: 0,
  };

  constructor(
    private readonly filter: FluentBitFilter,
    private readonly forward: URL,
    private readonly tag: string,
    private readonly log: (message: string) => void,
    /** Observes each request's events through the module. */
    private readonly batchSeconds: Observer,
    private readonly limits = { pendingBytes: PENDING_LIMIT_BYTES, bodyBytes: MAX_BODY_BYTES, timeoutMs: DOWNSTREAM_TIMEOUT_MS },
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  listen(address: Address): Promise<void> {
    return listenOn(this.server, address, "--listen", this.log, `listening for Vector's http sink on http://${formatAddress(address)}`);
  }

  stats(): HttpSidecarStats {
    return { ...this.counts, answered: { ...this.counts.answered } };
  }

  /**
   * Stops taking requests and resolves once every request in hand has been answered (a request
   * whose body is still arriving is cut off: it was not acknowledged, so Vector sends it again).
   */
  stop(): Promise<void> {
    this.stopping = true;
    this.server.close();
    this.server.closeIdleConnections();
    for (const req of this.reading) req.socket.destroy();
    return new Promise((resolve) => {
      this.idle = () => {
        if (this.counts.inHand > 0) return;
        this.server.closeAllConnections();
        this.agent.destroy();
        resolve();
      };
      this.idle();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.requests++;
    if (this.stopping) return this.answer(res, 503, "stopping");
    if (req.method !== "POST") return this.answer(res, 405, "POST batches of events here", { Allow: "POST" });
    this.counts.inHand++;
    let held = 0;
    // Bytes in hand are reserved as they become known (the body announced, then read, decompressed,
    // and what the module made of it); past the limit a request is answered 429, unless it is the
    // only one in hand: one request is always taken, however large.
    const hold = (bytes: number) => {
      if (bytes <= 0) return;
      if (this.counts.inHandBytes + bytes > this.limits.pendingBytes && this.counts.inHand > 1) throw new RequestError(429, "too much in hand: retry later");
      held += bytes;
      this.counts.inHandBytes += bytes;
    };
    try {
      hold(Math.max(Number(req.headers["content-length"] ?? 0), MIN_RESERVATION));
      const body = await this.body(req, held, hold);
      const events = batchEvents(body);
      const results: string[] = [];
      const time = eventTime();
      const started = performance.now();
      for (const event of events) {
        this.counts.in++;
        const result = this.filter.filter(event, this.tag, time);
        if (result === null) {
          // Never acknowledged without being delivered: it goes on as it came, unscored.
          this.counts.lost++;
          this.log(`the module failed on an event (a trap, or no result); passing it on unscored: ${event.toString("utf8", 0, Math.min(event.length, 200))}`);
          results.push(event.toString("utf8"));
        } else if (result !== "") results.push(result);
      }
      if (events.length) this.batchSeconds.observe((performance.now() - started) / 1000);
      const delivered = results.length;
      if (delivered) {
        const post = Buffer.from(results.join("\n") + "\n");
        results.length = 0;
        hold(post.length);
        await this.post(post);
        this.counts.bytesOut += post.length;
      }
      this.counts.out += delivered;
      this.answer(res, 200, "");
    } catch (e) {
      const status = e instanceof RequestError ? e.status : 503;
      if (status === 503) this.log(`answering 503 so that Vector retries: ${(e as Error).message}`);
      this.answer(res, status, (e as Error).message, status === 503 || status === 429 ? { "Retry-After": "1" } : {});
    } finally {
      // In hand until the answer has left (or the connection is gone): stop() waits for it.
      if (!res.writableFinished && !res.destroyed) await new Promise((r) => res.once("close", r));
      this.counts.inHand--;
      this.counts.inHandBytes -= held;
      this.idle?.();
    }
  }

  /** The request's body, decompressed, at most limits.bodyBytes; `reserved` bytes of it are held already. */
  private async body(req: IncomingMessage, reserved: number, hold: (bytes: number) => void): Promise<Buffer> {
    this.reading.add(req);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const refuse = (e: Error) => {
        // Read no more of it: answered, the connection is closed (see answer).
        req.pause();
        req.removeAllListeners("data");
        reject(e);
      };
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        this.counts.bytesIn += chunk.length;
        if (size > this.limits.bodyBytes) return refuse(new RequestError(413, `a body over ${this.limits.bodyBytes} bytes`));
        try {
          hold(size - chunk.length >= reserved ? chunk.length : size - reserved);
        } catch (e) {
          return refuse(e as Error);
        }
        chunks.push(chunk);
      });
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
      req.on("close", () => reject(new Error("the connection closed before the body was read")));
    }).finally(() => this.reading.delete(req));
    const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding === "identity") return raw;
    const options = { maxOutputLength: this.limits.bodyBytes };
    let body: Buffer;
    try {
      if (encoding === "gzip") body = await gunzipAsync(raw, options);
      else if (encoding === "deflate") body = await inflateAsync(raw, options);
      else throw new RequestError(415, `content-encoding ${encoding} is not supported (gzip, deflate)`);
    } catch (e) {
      if (e instanceof RequestError) throw e;
      if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new RequestError(413, `a body over ${this.limits.bodyBytes} bytes once decompressed`);
      throw new RequestError(400, `the ${encoding} body does not decompress: ${(e as Error).message}`);
    }
    hold(body.length);
    return body;
  }

  /** Posts to the downstream; resolves on a 2xx answer, rejects on anything else (counted). */
  private post(body: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const req = request(
        this.forward,
        {
          method: "POST",
          agent: this.agent,
          timeout: this.limits.timeoutMs,
          headers: { "Content-Type": "application/x-ndjson", "Content-Length": body.length },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new Error(`the downstream answered ${status}`));
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`the downstream did not answer in ${this.limits.timeoutMs} ms`)));
      req.on("error", (e) => reject(new Error(`the downstream ${this.forward.host}: ${e.message}`)));
      req.end(body);
    }).catch((e: Error) => {
      this.counts.downstreamFailures++;
      throw e;
    });
  }

  private answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    this.counts.answered[status] = (this.counts.answered[status] ?? 0) + 1;
    if (res.headersSent || res.destroyed) return;
    // A body left unread (413) closes the connection once answered: the rest of it is not a request.
    const unread = !res.req.complete;
    res.writeHead(status, { "Content-Type": "text/plain", ...(unread ? { Connection: "close" } : {}), ...headers });
    res.end(text ? text + "\n" : "", () => {
      if (unread) res.req.socket.destroy();
    });
  }
}
