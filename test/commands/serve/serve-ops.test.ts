// tarkin serve for an operator: its log lines stamped with the time, and the --ops-listen endpoint
// (/health, /live, /metrics) scraped while the real sidecar, the bundled CLI as a child process,
// carries events in both modes on 127.0.0.1; what /metrics says is checked against what was sent
// and what arrived. The endpoint's readiness before the sidecar is up lasts a few milliseconds in
// the CLI, so it is checked on the endpoint itself, in process.
import { describe, expect, it } from "vitest";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../../helpers.js";
import { cleanups, event, freePort, HOST, ports, SidecarProcess, SocketSink, SocketSource, waitFor, type Event } from "./serve.helpers.js";
import { FluentBitFilter, fluentBitRecord } from "../../../host/core/module/harness.js";
import * as layouts from "../../../host/core/module/layouts.js";
import { OpsEndpoint, SidecarMetrics } from "../../../host/core/serve/serve-ops.js";

/** The module's counters as /metrics names them: one for each STATS_ name of the layout. */
const MODULE_COUNTERS = Object.keys(layouts)
  .filter((name) => name.startsWith("STATS_"))
  .map((name) => `tarkin_module_records_${name.slice("STATS_".length).toLowerCase()}_total`);

interface Answer {
  status: number | string;
  type: string;
  body: string;
}

function get(port: number, path: string, method = "GET"): Promise<Answer> {
  return new Promise((done) => {
    const req = request({ host: HOST, port, path, method, agent: false, timeout: 5_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (t: string) => (body += t));
      res.on("end", () => done({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e: NodeJS.ErrnoException) => done({ status: e.code ?? e.message, type: "", body: "" }));
    req.end();
  });
}

/**
 * The samples of Prometheus' text exposition format, by name and labels as written (`name` or
 * `name{code="200"}`); a line that is neither a sample nor a comment, or a sample of no declared
 * family, fails the test.
 */
function parseMetrics(text: string): Map<string, number> {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("# HELP ")) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(line);
    expect(sample, `a line of /metrics: ${line}`).not.toBeNull();
    const [, name, labels = "", value] = sample!;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, "");
    expect(types.has(family), `${name} has a # TYPE`).toBe(true);
    samples.set(name + labels, Number(value));
  }
  return samples;
}

async function scrape(port: number): Promise<Map<string, number>> {
  const answer = await get(port, "/metrics");
  expect(answer.status).toBe(200);
  expect(answer.type).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(answer.body);
}

/** The value of a sample that must be there. */
function value(metrics: Map<string, number>, name: string): number {
  expect(metrics.has(name), `/metrics has ${name}`).toBe(true);
  return metrics.get(name)!;
}

/** tarkin_serve_batch_seconds' count of batches, having checked that its buckets are cumulative, +Inf holding them all, and time was spent. */
function batchesCounted(metrics: Map<string, number>): number {
  const buckets = [...metrics].filter(([k]) => k.startsWith("tarkin_serve_batch_seconds_bucket{")).map(([, v]) => v);
  expect(buckets.length).toBeGreaterThan(5);
  expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  const count = value(metrics, "tarkin_serve_batch_seconds_count");
  expect(value(metrics, 'tarkin_serve_batch_seconds_bucket{le="+Inf"}')).toBe(count);
  expect(value(metrics, "tarkin_serve_batch_seconds_sum")).toBeGreaterThan(0);
  return count;
}

/** The module's counters against what came out of it: every event scored, marked as the module counted. */
function expectModuleCounted(metrics: Map<string, number>, recordsIn: number, out: Event[]): void {
  for (const name of MODULE_COUNTERS) value(metrics, name);
  expect(value(metrics, "tarkin_module_records_in_total")).toBe(recordsIn);
  expect(value(metrics, "tarkin_module_records_out_total")).toBe(out.length);
  expect(value(metrics, "tarkin_module_records_anomalous_total")).toBe(out.filter((e) => e.tarkin_anomaly === true).length);
  expect(value(metrics, "tarkin_module_records_infrequent_total")).toBe(out.filter((e) => e.tarkin_infrequent === true).length);
  expect(value(metrics, "tarkin_module_records_errors_total")).toBe(out.filter((e) => e.tarkin_error !== undefined).length);
}

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) tarkin serve: \S/;

/** Every line the sidecar logged starts with the time in ISO 8601 UTC, in order, between `from` and now. */
function expectStamped(stderr: string, from: number): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines.length).toBeGreaterThan(3);
  let previous = from - 1000;
  for (const line of lines) {
    const m = STAMP.exec(line);
    expect(m, line).not.toBeNull();
    const t = Date.parse(m![1]);
    expect(t, line).toBeGreaterThanOrEqual(previous);
    expect(t, line).toBeLessThanOrEqual(Date.now());
    previous = t;
  }
}

/** Scrapes until `condition` holds, for at most 20 s. */
async function scrapeUntil(port: number, what: string, condition: (m: Map<string, number>) => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition(await scrape(port))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function opsPort(taken: number[]): Promise<number> {
  let port = await freePort();
  while (taken.includes(port)) port = await freePort();
  return port;
}

describe("the operations endpoint", () => {
  it("answers /health 503 while starting and stopping, 200 when ready; /live 200 throughout; /metrics in Prometheus' format", async () => {
    const metrics = new SidecarMetrics();
    const ops = new OpsEndpoint(metrics.registry, () => {});
    const port = await freePort();
    await ops.listen({ host: HOST, port });
    cleanups.push(() => void ops.close());
    expect(await get(port, "/health")).toMatchObject({ status: 503, body: "starting\n" });
    expect(await get(port, "/live")).toMatchObject({ status: 200 });
    ops.readiness = "ready";
    expect(await get(port, "/health")).toMatchObject({ status: 200, body: "ready\n" });
    expect(await get(port, "/health?probe=1", "HEAD")).toMatchObject({ status: 200, body: "" });
    ops.readiness = "stopping";
    expect(await get(port, "/health")).toMatchObject({ status: 503, body: "stopping\n" });
    expect(await get(port, "/live")).toMatchObject({ status: 200 });
    expect((await get(port, "/nothing")).status).toBe(404);
    expect((await get(port, "/health", "POST")).status).toBe(405);
    // Before any module: the histogram, empty, and the process's own metrics.
    const scraped = await scrape(port);
    expect(value(scraped, "tarkin_serve_batch_seconds_count")).toBe(0);
    expect(value(scraped, "process_resident_memory_bytes")).toBeGreaterThan(0);
    await ops.close();
    expect((await get(port, "/live")).status).toBe("ECONNREFUSED");
  });

  it("reads the module's counters by the layout's STATS_ names, as filter_stats() keeps them", () => {
    const filter = new FluentBitFilter(readFileSync(resolve(ROOT, "build/tarkin.wasm")));
    for (const message of ["Accepted password for alice from 10.0.0.1 port 22 ssh2", "kernel: segfault at 0 ip 00007f", "not json"]) {
      filter.filter(message === "not json" ? message : fluentBitRecord([["message", message]]));
    }
    const counters = filter.counters();
    expect(Object.keys(counters).map((n) => `tarkin_module_records_${n}_total`).sort()).toEqual([...MODULE_COUNTERS].sort());
    const s = filter.stats();
    expect(counters).toMatchObject({ in: 3, out: 3, errors: 1, infrequent: s.infrequent, anomalous: s.anomalous });
  });
});

describe("tarkin serve --ops-listen (socket mode)", () => {
  it("logs with timestamps; /metrics counts every event and byte in and out, the module's counters, the reads in the batch histogram, reconnects and resends", async () => {
    const started = Date.now();
    const [listen, forward] = await ports();
    const ops = await opsPort([listen, forward]);
    let downstream = new SocketSource(forward);
    await downstream.start();
    const sidecar = new SidecarProcess(["--listen", `${HOST}:${listen}`, "--forward", `${HOST}:${forward}`, "--ops-listen", `${HOST}:${ops}`]);
    await sidecar.listening(`listening on ${HOST}:${listen}`);
    expect(await get(ops, "/health")).toMatchObject({ status: 200, body: "ready\n" });

    // Two connections of 2,000 events, every tenth of the second not JSON.
    const line = (conn: number) => (seq: number) => (conn === 1 && seq % 10 === 3 ? `not json ${seq}` : event(conn, seq));
    const sent = [0, 1].flatMap((conn) => Array.from({ length: 2_000 }, (_, seq) => line(conn)(seq) + "\n"));
    await Promise.all([0, 1].map((conn) => new SocketSink(listen, conn, 2_000, line(conn)).done));
    await waitFor("4,000 events downstream", () => downstream.total() >= 4_000);
    await waitFor("the upstream connections closed", () => (sidecar.stderr.match(/closed after 2000 events/g)?.length ?? 0) === 2);

    let m = await scrape(ops);
    expect(value(m, "tarkin_serve_events_in_total")).toBe(4_000);
    expect(value(m, "tarkin_serve_events_out_total")).toBe(4_000);
    expect(value(m, "tarkin_serve_bytes_in_total")).toBe(sent.reduce((n, l) => n + Buffer.byteLength(l), 0));
    expect(value(m, "tarkin_serve_bytes_out_total")).toBe(downstream.bytes);
    expect(value(m, "tarkin_serve_module_failures_total")).toBe(0);
    expect(value(m, "tarkin_serve_upstream_connections")).toBe(0);
    expect(value(m, "tarkin_serve_downstream_connected")).toBe(1);
    expect(value(m, "tarkin_serve_queued_events")).toBe(0);
    expect(value(m, "tarkin_serve_events_resent_total")).toBe(0);
    expect(value(m, "tarkin_serve_downstream_reconnects_total")).toBe(0);
    expectModuleCounted(m, 4_000, downstream.all());
    expect(value(m, "tarkin_module_records_errors_total")).toBe(200);
    // A batch a read that ended a line: at least one event each, at most 64 KiB of them (libuv's reads).
    const reads = batchesCounted(m);
    expect(reads).toBeGreaterThanOrEqual(Math.ceil(value(m, "tarkin_serve_bytes_in_total") / 65_536));
    expect(reads).toBeLessThanOrEqual(4_000);

    // The downstream restarts: what the failed connection may not have delivered goes again.
    downstream.close();
    await waitFor("two failed reconnects", () => (sidecar.stderr.match(/retrying in/g)?.length ?? 0) >= 3);
    m = await scrape(ops);
    expect(value(m, "tarkin_serve_downstream_connected")).toBe(0);
    downstream = new SocketSource(forward);
    await downstream.start();
    await waitFor("connected again", () => sidecar.stderr.includes("sending again"));
    const retries = sidecar.stderr.match(/retrying in/g)!.length;
    const toResend = [...sidecar.stderr.matchAll(/(\d+) events to send again/g)].reduce((n, r) => n + Number(r[1]), 0);
    expect(toResend).toBeGreaterThan(0);
    await waitFor("the resent events downstream", () => downstream.total() >= toResend);
    m = await scrape(ops);
    expect(value(m, "tarkin_serve_downstream_reconnects_total")).toBe(retries);
    expect(value(m, "tarkin_serve_events_resent_total")).toBe(toResend);
    expect(value(m, "tarkin_serve_events_resent_total")).toBe(downstream.total());
    expect(value(m, "tarkin_serve_downstream_connected")).toBe(1);
    expect(value(m, "tarkin_serve_events_out_total")).toBe(4_000);

    sidecar.child.kill("SIGTERM");
    expect(await sidecar.exited).toBe(0);
    expect((await get(ops, "/live")).status).toBe("ECONNREFUSED");
    expectStamped(sidecar.stderr, started);
  });

  it("SIGTERM: /health answers 503 while it delivers what it read, /metrics still answers, then it exits 0", async () => {
    const [listen, forward] = await ports();
    const ops = await opsPort([listen, forward]);
    const downstream = new SocketSource(forward);
    downstream.stall();
    await downstream.start();
    const sidecar = new SidecarProcess(["--listen", `${HOST}:${listen}`, "--forward", `${HOST}:${forward}`, "--ops-listen", `${HOST}:${ops}`]);
    await sidecar.listening(`listening on ${HOST}:${listen}`);
    new SocketSink(listen, 0, 40_000);
    await scrapeUntil(ops, "events read and queued", (m) => value(m, "tarkin_serve_events_in_total") >= 5_000 && value(m, "tarkin_serve_queued_events") > 0);
    sidecar.child.kill("SIGTERM");
    await waitFor("the sidecar to stop", () => sidecar.stderr.includes("SIGTERM: stopping"));
    expect(await get(ops, "/health")).toMatchObject({ status: 503, body: "stopping\n" });
    expect((await get(ops, "/live")).status).toBe(200);
    const m = await scrape(ops);
    const read = value(m, "tarkin_serve_events_in_total");
    expect(read).toBeGreaterThan(0);
    expect(value(m, "tarkin_serve_queued_events") + value(m, "tarkin_serve_events_out_total")).toBe(read);
    expect(sidecar.child.exitCode).toBeNull(); // still delivering
    downstream.read();
    expect(await sidecar.exited).toBe(0);
    await waitFor("everything read delivered", () => downstream.total() >= read);
    expect(downstream.total()).toBe(read);
  });

  it("refuses a bad --ops-listen, or one in use, with one line and a non-zero exit", async () => {
    const [listen, forward] = await ports();
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, HOST, r));
    cleanups.push(() => busy.close());
    const busyPort = (busy.address() as { port: number }).port;
    for (const [ops, message] of [
      ["6002", /--ops-listen must be HOST:PORT/],
      [`${HOST}:${busyPort}`, /--ops-listen 127\.0\.0\.1:\d+: the address is in use/],
    ] as const) {
      const sidecar = new SidecarProcess(["--listen", `${HOST}:${listen}`, "--forward", `${HOST}:${forward}`, "--ops-listen", ops]);
      expect(await sidecar.exited).not.toBe(0);
      expect(sidecar.stderr.trim().split("\n")).toHaveLength(1);
      expect(sidecar.stderr).toMatch(message);
    }
  });
});

/** Vector's http_server source: 503 to the first `failing` posts (having read them), then 200; or holding every answer while `hang`. */
class Source {
  /** The events of every post, answered 200 or not. */
  readonly posted: Event[] = [];
  /** The events of the posts answered 200. */
  readonly events: Event[] = [];
  posts = 0;
  /** Bytes of the posts answered 200. */
  delivered = 0;
  hang = false;
  private readonly held: ServerResponse[] = [];
  private readonly server: Server;

  constructor(private failing = 0) {
    this.server = createServer((req, res) => this.handle(req, res));
    cleanups.push(() => this.server.close() && this.server.closeAllConnections());
  }

  start(port: number): Promise<void> {
    return new Promise((r) => this.server.listen(port, HOST, r));
  }

  release(): void {
    for (const res of this.held.splice(0)) res.writeHead(200).end();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      this.posts++;
      const body = Buffer.concat(chunks);
      const events = body.toString("utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l) as Event);
      this.posted.push(...events);
      if (this.failing > 0) {
        this.failing--;
        return void res.writeHead(503).end();
      }
      this.delivered += body.length;
      this.events.push(...events);
      if (this.hang) this.held.push(res);
      else res.writeHead(200).end();
    });
  }
}

/** Posts `body` to the sidecar as Vector's http sink would; the status answered. */
function post(port: number, body: Buffer, gzip: boolean): Promise<number> {
  return new Promise((done, fail) => {
    const headers: Record<string, string | number> = { "Content-Type": "application/json", "Content-Length": body.length, ...(gzip ? { "Content-Encoding": "gzip" } : {}) };
    const req = request({ host: HOST, port, method: "POST", path: "/", headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode ?? 0));
    });
    req.on("error", fail);
    req.end(body);
  });
}

describe("tarkin serve --http --ops-listen", () => {
  it("/metrics counts requests by status, downstream failures, events and bytes in and out (a retried batch in again, out once), the module's counters and the batches in the histogram", async () => {
    const started = Date.now();
    const [listen, forward] = await ports();
    const ops = await opsPort([listen, forward]);
    const source = new Source(2);
    await source.start(forward);
    const sidecar = new SidecarProcess(["--http", "--listen", `${HOST}:${listen}`, "--forward", `http://${HOST}:${forward}/events`, "--ops-listen", `${HOST}:${ops}`]);
    await sidecar.listening(`listening for Vector's http sink on http://${HOST}:${listen}`);
    expect(await get(ops, "/health")).toMatchObject({ status: 200, body: "ready\n" });

    // 10 batches of 300, as JSON arrays, every other one gzip; each retried until answered 200.
    const statuses: number[] = [];
    let bytesSent = 0;
    for (let id = 0; id < 10; id++) {
      const text = `[${Array.from({ length: 300 }, (_, seq) => event(id, seq)).join(",")}]`;
      const body = id % 2 ? gzipSync(text) : Buffer.from(text);
      for (let status = 0; status !== 200; ) {
        status = await post(listen, body, id % 2 === 1);
        statuses.push(status);
        bytesSent += body.length;
      }
    }
    expect((await get(listen, "/")).status).toBe(405); // not a batch: counted by its status too

    const m = await scrape(ops);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    expect(value(m, 'tarkin_serve_http_requests_total{code="200"}')).toBe(10);
    expect(value(m, 'tarkin_serve_http_requests_total{code="503"}')).toBe(2);
    expect(value(m, 'tarkin_serve_http_requests_total{code="405"}')).toBe(1);
    expect(value(m, "tarkin_serve_downstream_failures_total")).toBe(2);
    // The first batch went through the module three times (twice to a failing downstream).
    expect(value(m, "tarkin_serve_events_in_total")).toBe(12 * 300);
    expect(value(m, "tarkin_serve_events_out_total")).toBe(10 * 300);
    expect(source.events).toHaveLength(3_000);
    expect(value(m, "tarkin_serve_bytes_in_total")).toBe(bytesSent);
    expect(value(m, "tarkin_serve_bytes_out_total")).toBe(source.delivered);
    expect(value(m, "tarkin_serve_module_failures_total")).toBe(0);
    expect(value(m, "tarkin_serve_requests_in_hand")).toBe(0);
    expect(value(m, "tarkin_serve_bytes_in_hand")).toBe(0);
    // The module counted every pass, the two whose posts failed too.
    expectModuleCounted(m, 12 * 300, source.posted);
    expect(batchesCounted(m)).toBe(12); // each request with events, the retried ones each time

    sidecar.child.kill("SIGTERM");
    expect(await sidecar.exited).toBe(0);
    expectStamped(sidecar.stderr, started);
  });

  it("SIGTERM: /health answers 503 while requests are in hand, /metrics shows them, then it exits 0", async () => {
    const [listen, forward] = await ports();
    const ops = await opsPort([listen, forward]);
    const source = new Source();
    source.hang = true;
    await source.start(forward);
    const sidecar = new SidecarProcess(["--http", "--listen", `${HOST}:${listen}`, "--forward", `http://${HOST}:${forward}/events`, "--ops-listen", `${HOST}:${ops}`]);
    await sidecar.listening(`listening for Vector's http sink on http://${HOST}:${listen}`);
    const answers = [0, 1].map((id) => post(listen, Buffer.from(`[${event(id, 0)},${event(id, 1)}]`), false));
    await waitFor("both batches posted on and held", () => source.posts >= 2);
    sidecar.child.kill("SIGTERM");
    await waitFor("the sidecar to stop", () => sidecar.stderr.includes("SIGTERM: stopping"));
    expect(await get(ops, "/health")).toMatchObject({ status: 503, body: "stopping\n" });
    const m = await scrape(ops);
    expect(value(m, "tarkin_serve_requests_in_hand")).toBe(2);
    expect(value(m, "tarkin_serve_events_in_total")).toBe(4);
    expect(value(m, "tarkin_serve_events_out_total")).toBe(0);
    expect(sidecar.child.exitCode).toBeNull();
    source.release();
    expect(await Promise.all(answers)).toEqual([200, 200]);
    expect(await sidecar.exited).toBe(0);
  });
});
