// The sidecar's operations endpoint, apart from the events' listener (which stays on loopback
// beside Vector while probes and scrapes come over the pod's network): /health for a readiness
// probe, /live for a liveness probe, /metrics for Prometheus. Counts are read from the sidecar and
// the module when scraped, so the event path keeps only its own counters; what is observed on it is
// each batch's time through the module.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { FluentBitFilter } from "../module/harness.js";
import { formatAddress, type Address, type Downstream } from "./serve-downstream.js";
import type { HttpSidecar } from "./serve-http.js";
import { listenOn, type Sidecar } from "./serve.js";

/**
 * tarkin_serve_batch_seconds' buckets: an event takes some microseconds through the module, a batch
 * of 500 a millisecond or two, a 64 KiB read some hundreds of microseconds.
 */
const BATCH_SECONDS_BUCKETS = [1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 1];

export class SidecarMetrics {
  readonly registry = new Registry();
  /**
   * Observed for every batch: a request's events (--http), or the events one read from a
   * connection ended (socket mode). Per event, rate(_sum) / rate(tarkin_serve_events_in_total).
   */
  readonly batchSeconds = new Histogram({
    name: "tarkin_serve_batch_seconds",
    help: "Time to run one batch of events through the module: a request's (--http) or those one read from a connection ended (socket mode), with splitting and queuing them",
    buckets: BATCH_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    // The process's own (CPU, memory, event loop delay): one sidecar is one event loop on one core.
    collectDefaultMetrics({ register: this.registry });
  }

  /** The module's own counters (filter_stats), each as tarkin_module_records_NAME_total, whatever counters its layout has. */
  module(filter: FluentBitFilter): void {
    for (const name of Object.keys(filter.counters())) {
      this.counter(`tarkin_module_records_${name}_total`, `The module's own count STATS_${name.toUpperCase()} (filter_stats), as it keeps it`, () => filter.counters()[name]);
    }
  }

  /** The socket mode's counts. */
  socket(sidecar: Sidecar, downstream: Downstream): void {
    const s = () => sidecar.stats();
    const d = () => downstream.stats();
    this.counter("tarkin_serve_events_in_total", "Events read from Vector's socket sink, each through the module", () => s().in);
    this.counter("tarkin_serve_bytes_in_total", "Bytes read from Vector's socket sink", () => s().bytesIn);
    this.counter("tarkin_serve_events_out_total", "Events written to Vector's socket source (resent ones not counted again)", () => d().out);
    this.counter("tarkin_serve_bytes_out_total", "Bytes of the events out", () => d().bytesOut);
    this.counter("tarkin_serve_module_failures_total", "Events lost to the module (a trap, or no result)", () => s().lost);
    this.counter("tarkin_serve_events_resent_total", "Events written again after a downstream connection failed (the at-least-once replay)", () => d().resent);
    this.counter("tarkin_serve_downstream_reconnects_total", "Downstream connections that failed or could not be made, each followed by a retry", () => d().reconnects);
    this.gauge("tarkin_serve_downstream_connected", "1 while connected to Vector's socket source", () => Number(d().connected));
    this.gauge("tarkin_serve_upstream_connections", "Connections from Vector's socket sink", () => s().upstreams);
    this.gauge("tarkin_serve_queued_events", "Events filtered, not yet written downstream", () => d().queuedEvents);
    this.gauge("tarkin_serve_queued_bytes", "Their bytes (reading stops at 4 MiB)", () => d().queuedBytes);
    this.gauge("tarkin_serve_unconfirmed_bytes", "Bytes written downstream and kept to be sent again should the connection fail", () => d().unconfirmedBytes);
  }

  /** The HTTP mode's counts. */
  http(sidecar: HttpSidecar): void {
    const s = () => sidecar.stats();
    this.counter("tarkin_serve_events_in_total", "Events read from Vector's http sink, each through the module (a retried batch's again)", () => s().in);
    this.counter("tarkin_serve_bytes_in_total", "Request bodies' bytes as they came (compressed when the sink compresses)", () => s().bytesIn);
    this.counter("tarkin_serve_events_out_total", "Events delivered: posted to Vector's http_server source and answered 2xx", () => s().out);
    this.counter("tarkin_serve_bytes_out_total", "Bytes of the posts answered 2xx", () => s().bytesOut);
    this.counter("tarkin_serve_module_failures_total", "Events the module failed on (a trap, or no result), passed on unscored", () => s().lost);
    this.counter("tarkin_serve_downstream_failures_total", "Posts to the http_server source that failed (an error, a timeout, an answer not 2xx): each batch answered 503", () => s().downstreamFailures);
    new Counter({
      name: "tarkin_serve_http_requests_total",
      help: "Requests from Vector's http sink by the status answered (503 and 429 ask it to retry)",
      labelNames: ["code"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [code, n] of Object.entries(s().answered)) this.inc({ code }, n);
      },
    });
    this.gauge("tarkin_serve_requests_in_hand", "Requests taken and not yet answered", () => s().inHand);
    this.gauge("tarkin_serve_bytes_in_hand", "Their bytes as reserved against --max-in-hand", () => s().inHandBytes);
  }

  /** A counter that is `read` when scraped (a count kept elsewhere, which only grows). */
  private counter(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  private gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}

/** Where the sidecar is: starting (loading the module, binding), ready (taking events), stopping (delivering what it read). */
export type Readiness = "starting" | "ready" | "stopping";

/** /health, /live and /metrics on an address of their own (--ops-listen). */
export class OpsEndpoint {
  readiness: Readiness = "starting";
  private readonly server: Server;

  constructor(private readonly registry: Registry, private readonly log: (message: string) => void) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  listen(address: Address): Promise<void> {
    return listenOn(this.server, address, "--ops-listen", this.log, `serving /health, /live and /metrics on http://${formatAddress(address)}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, "text/plain", "GET here\n", { Allow: "GET, HEAD" });
    const path = new URL(req.url ?? "/", "http://ops").pathname;
    // Ready to take events: what a readiness probe asks. 503 while starting and while stopping.
    if (path === "/health") return answer(res, this.readiness === "ready" ? 200 : 503, "text/plain", `${this.readiness}\n`);
    // The process answers: what a liveness probe asks; true while starting and stopping too, when a restart would only lose what is in hand.
    if (path === "/live") return answer(res, 200, "text/plain", "live\n");
    if (path === "/metrics") return answer(res, 200, this.registry.contentType, await this.registry.metrics());
    answer(res, 404, "text/plain", "/health, /live or /metrics\n");
  }
}

function answer(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": type, ...headers }).end(body);
}
