// tarkin serve --http end to end: the bundled CLI as a child process between a client that behaves
// as Vector's http sink (batches as JSON arrays or newline-delimited JSON, some gzip, several
// requests at once, each retried with backoff on 5xx, 429, errors and timeouts until answered
// 200) and a server that behaves as Vector's http_server source with acknowledgements (it answers
// once it has the events; here also slow, failing, failing after taking them, hanging, or down and
// restarted), all on 127.0.0.1. Every wait is bounded; every test closes its sockets and its child.
import { describe, expect, it } from "vitest";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { cleanups, event, expectAnnotated, HOST, ports, SidecarProcess, SocketSink, SocketSource, waitFor, type Event } from "./serve.helpers.js";

type Mode = "ok" | "fail" | "take-then-fail" | "slow" | "hang";

/** Vector's http_server source with acknowledgements: 200 once it has the events (unless told otherwise). */
class HttpSource {
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

interface Batch {
  id: number;
  size: number;
  body: Buffer;
  gzip: boolean;
}

/** Batches of `size` events: even ones a JSON array, odd ones newline-delimited; every third gzip. */
function batches(count: number, size: number): Batch[] {
  return Array.from({ length: count }, (_, id) => {
    const events = Array.from({ length: size }, (_, seq) => event(id, seq));
    const text = id % 2 === 0 ? `[${events.join(",")}]` : events.join("\n") + "\n";
    const gzip = id % 3 === 0;
    return { id, size, body: gzip ? gzipSync(text) : Buffer.from(text), gzip };
  });
}

/** Vector's http sink: `concurrency` requests at once, each batch retried with backoff until answered 200. */
class HttpSink {
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

class HttpSidecar extends SidecarProcess {
  static async start(listen: number, forward: number, ...args: string[]): Promise<HttpSidecar> {
    const sidecar = new HttpSidecar(["--http", "--listen", `${HOST}:${listen}`, "--forward", `http://${HOST}:${forward}/events`, "--stats", "0.1", ...args]);
    await sidecar.listening(`listening for Vector's http sink on http://${HOST}:${listen}`);
    return sidecar;
  }
}

/** Every event of every batch arrived; those that arrived more than once were all in batches the sink retried. Returns the duplicates. */
function checkDelivery(source: HttpSource, all: Batch[], sink: HttpSink): number {
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

describe("tarkin serve --http", () => {
  it("carries 100k events in batches from 4 concurrent requests: every one once, answered 200 only once delivered (throughput printed beside the socket mode's)", async () => {
    const [listen, forward] = await ports();
    const source = new HttpSource(forward);
    await source.start();
    const sidecar = await HttpSidecar.start(listen, forward);
    const all = batches(200, 500);
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
    await Promise.all([0, 1, 2, 3].map((conn) => new SocketSink(socketListen, conn, 25_000).done));
    await waitFor("100k events through the socket mode", () => socketSource.total() >= 100_000, 60_000);
    const socketSeconds = (performance.now() - socketStarted) / 1000;
    const socketCpu = socketSidecar.cpuSeconds() - socketCpuBefore;
    const line = (mode: string, s: number, c: number) => `${mode}: ${Math.round(100_000 / s)} events/s, ${Math.round(100_000 / c)} events per CPU-second of the sidecar`;
    console.log(
      `[serve --http] 100000 sample events, HTTP (200 batches of 500, 4 requests at once) beside socket (4 connections): ` +
        `${line("HTTP", seconds, cpu)}; ${line("socket", socketSeconds, socketCpu)}`,
    );
    // Answered only after delivery: by the time the last batch was answered, every event was there.
    expect(source.events).toHaveLength(100_000);
    expect(checkDelivery(source, all, sink)).toBe(0);
    expect(sink.retried.size).toBe(0);
    source.events.slice(0, 1000).forEach(expectAnnotated);
    expect(source.events.find((e) => e.conn === 0 && e.seq === 1)).toMatchObject({ host: "web01", file: "/var/log/sample.log", source_type: "file" });
    await waitFor("a stats line with all of it", () => /200 requests \(200 answered 200.*100000 events in, 100000 delivered, 0 requests in hand/.test(sidecar.stderr));
  });

  it("a downstream that fails, fails after taking the events, is slow, and is down then restarted: every event delivered, twice only where a retry followed a failure", async () => {
    const [listen, forward] = await ports();
    let source = new HttpSource(forward);
    await source.start();
    const sidecar = await HttpSidecar.start(listen, forward);
    const all = batches(60, 250);
    const sink = new HttpSink(listen, all, 4);
    const received: Event[] = [];
    const sending = sink.run();
    // Each phase lasts a number of posts the downstream sees, whatever the machine's speed.
    const posts = (n: number) => waitFor(`${n} posts downstream`, () => source.posts >= n, 30_000);
    source.mode = "fail";
    await posts(6);
    source.mode = "take-then-fail";
    await posts(12);
    source.mode = "slow";
    await posts(18);
    received.push(...source.events);
    source.close();
    await new Promise((r) => setTimeout(r, 500));
    source = new HttpSource(forward);
    await source.start();
    await Promise.race([sending, new Promise((r) => setTimeout(r, 60_000))]);
    source.events.unshift(...received);
    const duplicates = checkDelivery(source, all, sink);
    console.log(`[serve --http] failures: ${sink.retried.size} of 60 batches retried, ${duplicates} events delivered twice; the sink saw ${JSON.stringify(Object.fromEntries(sink.statuses))}`);
    expect(duplicates).toBeGreaterThan(0); // the downstream took events and failed: those came again
    expect(sink.statuses.get(503)).toBeGreaterThan(0);
    expect(sidecar.stderr).toContain("answering 503 so that Vector retries");
  });

  it("bounded memory under a downstream that hangs: 429 past --max-in-hand, 503 after --downstream-timeout, then everything once it answers", async () => {
    const [listen, forward] = await ports();
    const source = new HttpSource(forward);
    await source.start();
    source.mode = "hang";
    const sidecar = await HttpSidecar.start(listen, forward, "--max-in-hand", "2", "--downstream-timeout", "1");
    const rssBefore = sidecar.rssBytes();
    const all = batches(48, 2000); // about 0.5 MiB a batch, 24 requests at once
    const sink = new HttpSink(listen, all, 24);
    const sending = sink.run();
    let rssMax = rssBefore;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      rssMax = Math.max(rssMax, sidecar.rssBytes());
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sink.statuses.get(429)).toBeGreaterThan(0);
    expect(sink.statuses.get(503)).toBeGreaterThan(0);
    source.mode = "ok";
    await Promise.race([sending, new Promise((r) => setTimeout(r, 60_000))]);
    checkDelivery(source, all, sink);
    // What the sidecar held never passed --max-in-hand (its stats every 0.1 s), however many came at once.
    const inHand = [...sidecar.stderr.matchAll(/requests in hand \((\d+) bytes\)/g)].map((m) => Number(m[1]));
    expect(inHand.length).toBeGreaterThan(20);
    const most = Math.max(...inHand);
    console.log(
      `[serve --http] hanging downstream: at most ${(most / 2 ** 20).toFixed(2)} MiB in hand (--max-in-hand 2); sidecar RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB, at most ` +
        `${(rssMax / 2 ** 20).toFixed(0)} MiB; the sink saw ${JSON.stringify(Object.fromEntries(sink.statuses))}`,
    );
    expect(most).toBeLessThanOrEqual(2 * 2 ** 20);
    expect(rssMax - rssBefore).toBeLessThan(96 * 2 ** 20);
  });

  it("SIGTERM: answers the requests in hand once delivered, takes no more, exits 0", async () => {
    const [listen, forward] = await ports();
    const source = new HttpSource(forward);
    await source.start();
    source.mode = "hang";
    const sidecar = await HttpSidecar.start(listen, forward);
    const all = batches(4, 100);
    const sink = new HttpSink(listen, all, 4);
    const sending = sink.run();
    await waitFor("the 4 batches posted on and held", () => source.posts >= 4);
    sidecar.child.kill("SIGTERM");
    await waitFor("the sidecar to stop", () => sidecar.stderr.includes("SIGTERM: stopping"));
    const late = await new Promise<number | string>((done) => {
      const req = request({ host: HOST, port: listen, method: "POST", path: "/", agent: false, headers: { "Content-Length": 2 } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on("error", (e) => done((e as NodeJS.ErrnoException).code ?? "error"));
      req.end("[]");
    });
    expect(late).toBe("ECONNREFUSED");
    expect(sidecar.child.exitCode).toBeNull(); // still answering what it holds
    source.release();
    expect(await sidecar.exited).toBe(0);
    await sending;
    expect(sink.statuses.get(200)).toBe(4);
    expect(source.events).toHaveLength(400);
    expect(sidecar.stderr).toMatch(/SIGTERM: stopping; answering the requests in hand[\s\S]*stopped: \d+ requests \(4 answered 200/);
  });

  it("refuses what it cannot take: a body over 16 MiB, raw or decompressed (413), an unknown compression (415), not a POST (405); and marks an event it cannot read", async () => {
    const [listen, forward] = await ports();
    const source = new HttpSource(forward);
    await source.start();
    const sidecar = await HttpSidecar.start(listen, forward);
    const send = (method: string, body: Buffer, headers: Record<string, string> = {}) =>
      new Promise<number>((done, fail) => {
        const req = request({ host: HOST, port: listen, method, path: "/", headers: { "Content-Length": String(body.length), ...headers } }, (res) => {
          res.resume();
          res.on("end", () => done(res.statusCode ?? 0));
        });
        req.on("error", fail);
        req.end(body);
      });
    expect(await send("POST", Buffer.alloc(17 * 2 ** 20, 0x20))).toBe(413);
    expect(await send("POST", gzipSync(Buffer.alloc(64 * 2 ** 20, 0x20)), { "Content-Encoding": "gzip" })).toBe(413); // a gzip bomb
    expect(await send("POST", Buffer.from("[]"), { "Content-Encoding": "br" })).toBe(415);
    expect(await send("GET", Buffer.alloc(0))).toBe(405);
    expect(await send("POST", Buffer.from('[{"message":"fine"}, {"message": "cut'))).toBe(200);
    expect(source.events).toHaveLength(1);
    expect(source.events[0]).toMatchObject({ tarkin_anomaly: true, tarkin_error: expect.stringMatching(/^unreadable record/) });
    expect(sidecar.child.exitCode).toBeNull();
  });

  it.each([
    [["--forward", `${HOST}:9`], /--forward must be an http:\/\/ URL with --http/],
    [["--forward", "https://127.0.0.1:9/"], /--forward must be an http:\/\/ URL with --http/],
    [["--forward", `http://${HOST}:9/`, "--downstream-timeout", "0"], /--downstream-timeout must be a number of seconds above 0/],
    [["--forward", `http://${HOST}:9/`, "--max-in-hand", "x"], /--max-in-hand must be a number of MiB above 0/],
  ])("bad options %j: one line, exit 2", async (args, message) => {
    const [listen] = await ports();
    const sidecar = new SidecarProcess(["--http", "--listen", `${HOST}:${listen}`, ...args]);
    expect(await sidecar.exited).toBe(2);
    expect(sidecar.stderr.trim().split("\n")).toHaveLength(1);
    expect(sidecar.stderr).toMatch(message);
  });
});
