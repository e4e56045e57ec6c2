// tarkin serve: the sidecar that runs the module for a Vector pipeline (Vector dropped its wasm
// transform in 0.17). Events come from Vector's socket sink and go to its socket source, or, with
// --http, from its http sink to its http_server source with end-to-end acknowledgements; the
// sidecar's own log and statistics go to stderr, each line stamped with the time (UTC); with
// --ops-listen, /health, /live and /metrics for Kubernetes' probes and Prometheus.
import { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { FluentBitFilter } from "../core/module/harness.js";
import { parseAddress, Sidecar } from "../core/serve/serve.js";
import { Downstream, formatAddress, replayWindowBytes, type Address } from "../core/serve/serve-downstream.js";
import { DOWNSTREAM_TIMEOUT_MS, HttpSidecar, MAX_BODY_BYTES, parseForwardUrl, PENDING_LIMIT_BYTES } from "../core/serve/serve-http.js";
import { OpsEndpoint, SidecarMetrics } from "../core/serve/serve-ops.js";
import { filterModule, harnessFor } from "../core/module/filter-module.js";
import { addModuleOptions, moduleChoice, type ModuleOptions } from "./options.js";

interface ServeOptions extends ModuleOptions {
  listen: string;
  forward: string;
  stats?: string;
  opsListen?: string;
  tag: string;
  http?: boolean;
  downstreamTimeout: string;
  maxInHand: string;
}

/** Output bytes queued (read and filtered, not yet written downstream) at which reading stops. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

export function serveCommand(): Command {
  return addModuleOptions(
    new Command("serve")
      .description(
        "a sidecar for Vector: events from its socket sink through the module to its socket source (newline-delimited JSON over TCP), " +
          "or with --http from its http sink to its http_server source, answering each batch once the downstream has",
      )
      .option("--http", "speak HTTP: batches from Vector's http sink, posted on to its http_server source (with acknowledgements: at least once, end to end)")
      .requiredOption("--listen <host:port>", "where Vector's socket sink connects (--http: where its http sink posts)")
      .requiredOption("--forward <host:port|url>", "the address of Vector's socket source (--http: the http:// URL of its http_server source)")
      .option("--stats <seconds>", "print events in, out and queued on stderr every so many seconds")
      .option("--ops-listen <host:port>", "serve /health (readiness), /live (liveness) and /metrics (Prometheus) here (default: not at all)")
      .option("--downstream-timeout <seconds>", "--http: how long the http_server source has to answer a post before the batch is answered 503", String(DOWNSTREAM_TIMEOUT_MS / 1000))
      .option("--max-in-hand <MiB>", "--http: requests in hand (bodies and results) past which new ones are answered 429", String(PENDING_LIMIT_BYTES / 2 ** 20))
      .option("--tag <tag>", "the tag events carry", "tarkin"),
  ).action((o: ServeOptions) => serve(o));
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} tarkin serve: ${message}\n`);
}

function positive(text: string, option: string, unit: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a number of ${unit} above 0, not ${JSON.stringify(text)}`);
  return n;
}

/** Resolves at the first SIGTERM or SIGINT; a second one exits at once. */
function stopSignal(again: () => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals) => {
      if (received) again();
      received = true;
      resolve(signal);
    };
    process.on("SIGTERM", handler).on("SIGINT", handler);
  });
}

/**
 * Both modes once listening: ready; `stats` on stderr every `every` seconds; at SIGTERM or SIGINT
 * the sidecar stops (`stopping` says how), not ready meanwhile, and the last stats with the
 * module's counts.
 */
async function runUntilStopped(
  sidecar: { stop(): Promise<void> },
  filter: FluentBitFilter,
  ops: OpsEndpoint | undefined,
  stats: () => string,
  every: number | undefined,
  stopping: string,
): Promise<void> {
  if (ops) ops.readiness = "ready";
  const timer = every === undefined ? undefined : setInterval(() => log(stats()), every * 1000);
  const signal = await stopSignal(() => {
    log(`stopped before delivering everything: ${stats()}`);
    process.exit(1);
  });
  if (ops) ops.readiness = "stopping";
  log(`${signal}: stopping; ${stopping}`);
  await sidecar.stop();
  clearInterval(timer);
  const m = filter.stats();
  log(`stopped: ${stats()}; ${m.anomalous} anomalous, ${m.errors} unreadable`);
}

async function serve(o: ServeOptions): Promise<void> {
  const listen = parseAddress(o.listen, "--listen");
  const every = o.stats === undefined ? undefined : positive(o.stats, "--stats", "seconds");
  const opsAddress = o.opsListen === undefined ? undefined : parseAddress(o.opsListen, "--ops-listen");
  const forward = o.http ? { url: parseForwardUrl(o.forward), limits: httpLimits(o) } : parseAddress(o.forward, "--forward");
  // Up before the module loads, answering /health 503 until the sidecar takes events.
  const metrics = new SidecarMetrics();
  let ops: OpsEndpoint | undefined;
  if (opsAddress) {
    ops = new OpsEndpoint(metrics.registry, log);
    await ops.listen(opsAddress);
  }
  try {
    if ("url" in forward) await serveHttp(o, listen, forward, every, metrics, ops);
    else await serveSocket(o, listen, forward, every, metrics, ops);
  } finally {
    await ops?.close();
  }
}

async function serveSocket(o: ServeOptions, listen: Address, forward: Address, every: number | undefined, metrics: SidecarMetrics, ops: OpsEndpoint | undefined): Promise<void> {
  const filter = openFilter(o);
  const replay = replayWindowBytes();
  const downstream = new Downstream(forward, { highWater: HIGH_WATER_BYTES, replay, log, onRoom: () => sidecar.resume() });
  const sidecar = new Sidecar(filter, downstream, o.tag, log, metrics.batchSeconds);
  metrics.module(filter);
  metrics.socket(sidecar, downstream);
  const stats = () => {
    const s = { ...sidecar.stats(), ...downstream.stats() };
    return `${s.in} events in, ${s.out} out, ${s.queuedEvents} queued (${s.queuedBytes} bytes), ${s.resent} resent, ${s.unconfirmedBytes} bytes unconfirmed` +
      (s.lost ? `, ${s.lost} LOST` : "");
  };
  await sidecar.listen(listen);
  log(`forwarding to ${formatAddress(forward)}; reading pauses at ${HIGH_WATER_BYTES} queued bytes; up to ${replay} bytes kept to resend`);
  downstream.connect();
  await runUntilStopped(sidecar, filter, ops, stats, every, "delivering what was read");
}

function openFilter(o: ServeOptions): FluentBitFilter {
  return harnessFor(filterModule(moduleChoice(o)), o.wasm);
}

/** Where --http posts, and its limits. */
interface HttpForward {
  url: URL;
  limits: { timeoutMs: number; pendingBytes: number; bodyBytes: number };
}

function httpLimits(o: ServeOptions): HttpForward["limits"] {
  return {
    // Node's timers hold at most 2^31 - 1 ms (about 24 days); a day is long enough for any answer.
    timeoutMs: Math.min(positive(o.downstreamTimeout, "--downstream-timeout", "seconds"), 86_400) * 1000,
    pendingBytes: Math.round(positive(o.maxInHand, "--max-in-hand", "MiB") * 2 ** 20),
    bodyBytes: MAX_BODY_BYTES,
  };
}

async function serveHttp(
  o: ServeOptions,
  listen: Address,
  { url: forward, limits }: HttpForward,
  every: number | undefined,
  metrics: SidecarMetrics,
  ops: OpsEndpoint | undefined,
): Promise<void> {
  const filter = openFilter(o);
  const sidecar = new HttpSidecar(filter, forward, o.tag, log, metrics.batchSeconds, limits);
  metrics.module(filter);
  metrics.http(sidecar);
  const stats = () => {
    const s = sidecar.stats();
    const answered = (status: number) => s.answered[status] ?? 0;
    return `${s.requests} requests (${answered(200)} answered 200, ${answered(503)} 503, ${answered(429)} 429, ${answered(413)} 413), ` +
      `${s.in} events in, ${s.out} delivered, ${s.inHand} requests in hand (${s.inHandBytes} bytes)` + (s.lost ? `, ${s.lost} LOST` : "");
  };
  await sidecar.listen(listen);
  log(`posting to ${forward.href}; a batch is answered once that post is answered (503 if it fails or takes over ${limits.timeoutMs} ms); 429 past ${limits.pendingBytes} bytes in hand`);
  await runUntilStopped(sidecar, filter, ops, stats, every, "answering the requests in hand");
}
