// What the HTTP-mode sidecar suites (test/commands/serve/serve-http.test.ts; its volume run in test/volume/) need:
// a downstream that behaves as Vector's http_server source with acknowledgements, a client that
// behaves as its http sink, the sidecar in HTTP mode, the check of what it delivered, and its run of
// many events beside the socket mode's.
import { expect, it } from "vitest";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { cleanups, event, expectAnnotated, HOST, ports, SidecarProcess, SocketSink, SocketSource, waitFor, type Event } from "./serve.helpers.js";

export type Mode = "ok" | "fail" | "take-then-fail" | "slow" | "hang";

/** Vector's http_server source with acknowledgements: 200 once it has the events (unless told otherwise). */
export class HttpSource {
  readonly events: Event[] = [];
  mode: Mode = "ok";
  posts = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly hung: ServerResponse[] = [];

  constructor(readonly port: number) {
    cleanups.push(() => this.close());
  }

  start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    return new Promise((done) => this.server!.listen(this.port, HOST, done));
  }

  /** Down at once, connections and all, as a crashing or restarting Vector. */
  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }

  count(): Map<string, number> {
    const seen = new Map<string, number>();
    for (const e of this.events) seen.set(`${e.conn}/${e.seq}`, (seen.get(`${e.conn}/${e.seq}`) ?? 0) + 1);
    return seen;
  }

  /** Answers 200 to every post it has been holding (mode "hang"). */
  release(): void {
    for (const res of this.hung.splice(0)) if (!res.destroyed) res.writeHead(200).end();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      this.posts++;
      const mode = this.mode;
      if (mode === "fail") return void res.writeHead(503).end();
      this.events.push(...Buffer.concat(chunks).toString("utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l) as Event));
      if (mode === "hang") return void this.hung.push(res);
      if (mode === "take-then-fail") return void res.writeHead(500).end();
      if (mode === "slow") return void setTimeout(() => res.writeHead(200).end(), 300);
      res.writeHead(200).end();
    });
  }
}

export interface Batch {
  id: number;
  size: number;
  body: Buffer;
  gzip: boolean;
}

/** Batches of `size` events: even ones a JSON array, odd ones newline-delimited; every third gzip. */
export function batches(count: number, size: number): Batch[] {
  return Array.from({ length: count }, (_, id) => {
    const events = Array.from({ length: size }, (_, seq) => event(id, seq));
    const text = id % 2 === 0 ? `[${events.join(",")}]` : events.join("\n") + "\n";
    const gzip = id % 3 === 0;
    return { id, size, body: gzip ? gzipSync(text) : Buffer.from(text), gzip };
  });
}

/** Vector's http sink: `concurrency` requests at once, each batch retried with backoff until answered 200. */
export class HttpSink {
  readonly retried = new Set<number>();
  readonly statuses = new Map<number | string, number>();
  private readonly queue: Batch[];
  private stopped = false;

  constructor(private readonly port: number, all: Batch[], private readonly concurrency: number, private readonly timeoutMs = 20_000) {
    this.queue = [...all];
    cleanups.push(() => (this.stopped = true));
  }

  run(): Promise<void> {
    return Promise.all(Array.from({ length: this.concurrency }, () => this.worker())).then(() => undefined);
  }

  private async worker(): Promise<void> {
    for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) {
      for (let backoff = 25; !this.stopped; backoff = Math.min(backoff * 2, 500)) {
        const status = await this.post(batch);
        this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
        if (status === 200) break;
        this.retried.add(batch.id);
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  private post(batch: Batch): Promise<number | string> {
    return new Promise((done) => {
      const headers: Record<string, string | number> = { "Content-Type": "application/json", "Content-Length": batch.body.length };
      if (batch.gzip) headers["Content-Encoding"] = "gzip";
      const req = request({ host: HOST, port: this.port, method: "POST", path: "/", headers, timeout: this.timeoutMs }, (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode ?? 0));
        res.on("error", () => done("error"));
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e) => done(e.message === "timeout" ? "timeout" : "error"));
      req.end(batch.body);
    });
  }
}

export class HttpSidecar extends SidecarProcess {
  static async start(listen: number, forward: number, ...args: string[]): Promise<HttpSidecar> {
    const sidecar = new HttpSidecar(["--http", "--listen", `${HOST}:${listen}`, "--forward", `http://${HOST}:${forward}/events`, "--stats", "0.1", ...args]);
    await sidecar.listening(`listening for Vector's http sink on http://${HOST}:${listen}`);
    return sidecar;
  }
}

/** Every event of every batch arrived; those that arrived more than once were all in batches the sink retried. Returns the duplicates. */
export function checkDelivery(source: HttpSource, all: Batch[], sink: HttpSink): number {
  const seen = source.count();
  let duplicates = 0;
  for (const b of all) {
    for (let seq = 0; seq < b.size; seq++) {
      const n = seen.get(`${b.id}/${seq}`) ?? 0;
      expect(n, `batch ${b.id}, event ${seq}`).toBeGreaterThanOrEqual(1);
      if (n > 1) {
        expect(sink.retried.has(b.id), `batch ${b.id}, event ${seq} arrived ${n} times, and the batch was never retried`).toBe(true);
        duplicates += n - 1;
      }
    }
  }
  expect(seen.size).toBe(all.reduce((n, b) => n + b.size, 0));
  return duplicates;
}

/** A test: `count` batches of 500 events through the HTTP mode, 4 requests at once, then as many through the socket mode for its throughput. */
export function itCarriesBatches(count: number): void {
  const events = count * 500;
  it(`carries ${events / 1000}k events in batches from 4 concurrent requests: every one once, answered 200 only once delivered (throughput printed beside the socket mode's)`, async () => {
    const [listen, forward] = await ports();
    const source = new HttpSource(forward);
    await source.start();
    const sidecar = await HttpSidecar.start(listen, forward);
    const all = batches(count, 500);
    const sink = new HttpSink(listen, all, 4);
    const started = performance.now();
    const cpuBefore = sidecar.cpuSeconds();
    await sink.run();
    const seconds = (performance.now() - started) / 1000;
    const cpu = sidecar.cpuSeconds() - cpuBefore;
    // The socket mode beside it, on as many events of the same kind over 4 connections.
    const [socketListen, socketForward] = await ports();
    const socketSource = new SocketSource(socketForward);
    await socketSource.start();
    const socketSidecar = new SidecarProcess(["--listen", `${HOST}:${socketListen}`, "--forward", `${HOST}:${socketForward}`]);
    await socketSidecar.listening(`listening on ${HOST}:${socketListen}`);
    const socketStarted = performance.now();
    const socketCpuBefore = socketSidecar.cpuSeconds();
    await Promise.all([0, 1, 2, 3].map((conn) => new SocketSink(socketListen, conn, events / 4).done));
    await waitFor(`${events} events through the socket mode`, () => socketSource.total() >= events, 60_000);
    const socketSeconds = (performance.now() - socketStarted) / 1000;
    const socketCpu = socketSidecar.cpuSeconds() - socketCpuBefore;
    const line = (mode: string, s: number, c: number) => `${mode}: ${Math.round(events / s)} events/s, ${Math.round(events / c)} events per CPU-second of the sidecar`;
    console.log(
      `[serve --http] ${events} sample events, HTTP (${count} batches of 500, 4 requests at once) beside socket (4 connections): ` +
        `${line("HTTP", seconds, cpu)}; ${line("socket", socketSeconds, socketCpu)}`,
    );
    // Answered only after delivery: by the time the last batch was answered, every event was there.
    expect(source.events).toHaveLength(events);
    expect(checkDelivery(source, all, sink)).toBe(0);
    expect(sink.retried.size).toBe(0);
    source.events.slice(0, 1000).forEach(expectAnnotated);
    expect(source.events.find((e) => e.conn === 0 && e.seq === 1)).toMatchObject({ host: "web01", file: "/var/log/sample.log", source_type: "file" });
    const stats = new RegExp(`${count} requests \\(${count} answered 200.*${events} events in, ${events} delivered, 0 requests in hand`);
    await waitFor("a stats line with all of it", () => stats.test(sidecar.stderr));
  });
}
