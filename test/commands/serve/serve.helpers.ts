// What the sidecar suites (test/commands/serve/serve.test.ts, socket mode; test/commands/serve/serve-http.test.ts, HTTP mode; their
// volume runs in test/volume/) need: events as Vector encodes them, free loopback ports, bounded
// waits, the sidecar as a child process of the bundled CLI, cleanups run after every test; and the
// socket mode's sidecar, the check of what it delivered, and its run of many events.
import { afterEach, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { resolve } from "node:path";
import { ROOT } from "../../helpers.js";
import { sampleLines } from "../../../host/core/sample.js";

export const CLI = resolve(ROOT, "dist/tarkin.js");
export const HOST = "127.0.0.1";
export const SAMPLE = [...sampleLines({ lines: 5_000, seed: 7 })];

export type Event = Record<string, unknown>;

/** An event as Vector's sinks encode a file source's event with `encoding.codec = "json"`, plus its connection (or batch) and number. */
export function event(conn: number, seq: number): string {
  const message = SAMPLE[(conn * 7919 + seq) % SAMPLE.length];
  return JSON.stringify({ conn, seq, file: "/var/log/sample.log", host: "web01", message, source_type: "file", timestamp: "2026-01-05T00:00:00Z" });
}

export async function waitFor(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once("error", fail);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Two different free ports: where the sidecar listens, where it forwards to. */
export async function ports(): Promise<[number, number]> {
  const listen = await freePort();
  let forward = await freePort();
  while (forward === listen) forward = await freePort();
  return [listen, forward];
}

/** Run after the test that registered them, whatever its outcome. */
export const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** `tarkin serve ARGS` as a child process, its stderr collected, killed after the test if still running. */
export class SidecarProcess {
  readonly child: ChildProcess;
  stderr = "";
  readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, "serve", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    this.child.stderr!.setEncoding("utf8").on("data", (t: string) => (this.stderr += t));
    this.exited = new Promise((r) => this.child.once("exit", (code) => r(code)));
    cleanups.push(() => this.child.exitCode === null && this.child.signalCode === null && this.child.kill("SIGKILL"));
  }

  /** Waits until it says it listens on `address` (or has exited, which fails the test). */
  async listening(address: string): Promise<void> {
    await waitFor("the sidecar to listen", () => this.stderr.includes(`listening`) || this.child.exitCode !== null);
    expect(this.stderr).toContain(address);
  }

  /** CPU time the sidecar has used, user and system (/proc/PID/stat counts in ticks of 1/100 s on Linux). */
  cpuSeconds(): number {
    const fields = readFileSync(`/proc/${this.child.pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  rssBytes(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
    return Number(m![1]) * 1024;
  }
}

/** Vector's socket source: accepts connections, splits lines, keeps each connection's events apart. */
export class SocketSource {
  /** The events of each connection, in the order they came; a line cut off by a close is not an event (Vector fails to decode it). */
  readonly connections: Event[][] = [];
  /** Bytes read, every connection's. */
  bytes = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private mode: "read" | "stall" | "slow" = "read";
  private slowTimer?: NodeJS.Timeout;

  constructor(readonly port: number) {
    cleanups.push(() => this.close());
  }

  start(): Promise<void> {
    this.server = createServer((socket) => this.accept(socket));
    return new Promise((done) => this.server!.listen(this.port, HOST, done));
  }

  /** Closes the listener and every connection at once, as a crashing or restarting Vector would. */
  close(): void {
    clearInterval(this.slowTimer);
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }

  total(): number {
    return this.connections.reduce((n, c) => n + c.length, 0);
  }

  all(): Event[] {
    return this.connections.flat();
  }

  stall(): void {
    this.mode = "stall";
    for (const s of this.sockets) s.pause();
  }

  /** Reads in short bursts: about one socket read every 10 ms. */
  slow(): void {
    this.mode = "slow";
    this.slowTimer = setInterval(() => {
      for (const s of this.sockets) {
        s.resume();
        setImmediate(() => this.mode === "slow" && s.pause());
      }
    }, 10);
  }

  read(): void {
    this.mode = "read";
    clearInterval(this.slowTimer);
    for (const s of this.sockets) s.resume();
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const events: Event[] = [];
    this.connections.push(events);
    let rest = "";
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      this.bytes += Buffer.byteLength(text);
      const lines = (rest + text).split("\n");
      rest = lines.pop()!;
      for (const line of lines) events.push(JSON.parse(line));
    });
    if (this.mode !== "read") socket.pause();
    socket.on("error", () => {});
    socket.on("close", () => this.sockets.delete(socket));
  }
}

/** Vector's socket sink: one connection writing events in order, waiting whenever the socket says so. */
export class SocketSink {
  written = 0;
  /** Waiting for 'drain': the sidecar is not reading. */
  blocked = false;
  readonly done: Promise<void>;
  private readonly socket: Socket;

  constructor(port: number, readonly conn: number, count: number, line: (seq: number) => string = (seq) => event(conn, seq)) {
    this.socket = connect(port, HOST);
    this.socket.on("error", () => {}); // the sidecar stopping resets it
    cleanups.push(() => this.socket.destroy());
    this.done = this.write(count, line);
  }

  private async write(count: number, line: (seq: number) => string): Promise<void> {
    await new Promise<void>((r) => this.socket.once("connect", () => r()));
    while (this.written < count && !this.socket.destroyed) {
      const batch: string[] = [];
      for (const end = Math.min(count, this.written + 100); this.written < end; this.written++) batch.push(line(this.written) + "\n");
      if (!this.socket.write(batch.join(""))) {
        this.blocked = true;
        await new Promise<void>((r) => this.socket.once("drain", r).once("close", r));
        this.blocked = false;
      }
    }
    this.socket.end();
  }
}

export function expectAnnotated(e: Event): void {
  for (const k of ["tarkin_surprise", "tarkin_infrequent", "tarkin_sentiment", "tarkin_fear", "tarkin_anomaly"]) expect(e).toHaveProperty(k);
}

export interface Stats {
  in: number;
  out: number;
  queued: number;
  queuedBytes: number;
  resent: number;
}

/** `tarkin serve` in socket mode, printing its stats every 0.1 s. */
export class Sidecar extends SidecarProcess {
  static async start(listen: number, forward: number, ...args: string[]): Promise<Sidecar> {
    const sidecar = new Sidecar(["--listen", `${HOST}:${listen}`, "--forward", `${HOST}:${forward}`, "--stats", "0.1", ...args]);
    await sidecar.listening(`listening on ${HOST}:${listen}`);
    return sidecar;
  }

  /** The latest --stats line. */
  stats(): Stats {
    const all = [...this.stderr.matchAll(/(\d+) events in, (\d+) out, (\d+) queued \((\d+) bytes\), (\d+) resent/g)];
    const m = all.at(-1);
    if (!m) return { in: 0, out: 0, queued: 0, queuedBytes: 0, resent: 0 };
    const [i, o, q, qb, r] = m.slice(1).map(Number);
    return { in: i, out: o, queued: q, queuedBytes: qb, resent: r };
  }

  statsLines(): number {
    return this.stderr.match(/ events in, /g)?.length ?? 0;
  }
}

/**
 * Checks what the sidecar promises for one upstream connection's events, as they came over the
 * downstream connections:
 * within a downstream connection they are consecutive; the first on a later connection is at most
 * one past the highest seen before (a resend of what the failed connection may not have delivered);
 * together they are every number from 0 to count - 1. Returns how many arrived more than once.
 */
export function checkConnection(connections: Event[][], conn: number, count: number): number {
  let next = 0;
  let duplicates = 0;
  for (const events of connections) {
    let previous: number | undefined;
    for (const e of events) {
      if (e.conn !== conn) continue;
      const seq = e.seq as number;
      if (previous === undefined) expect(seq, `connection ${conn}: first event after a reconnect`).toBeLessThanOrEqual(next);
      else expect(seq, `connection ${conn}: after ${previous}`).toBe(previous + 1);
      if (seq < next) duplicates++;
      next = Math.max(next, seq + 1);
      previous = seq;
    }
  }
  expect(next, `connection ${conn}: events through`).toBe(count);
  return duplicates;
}

/** A test: `events` events from 4 concurrent connections through the socket mode, all of them delivered once, in order per connection. */
export function itCarriesConcurrently(events: number): void {
  const each = events / 4;
  it(`carries ${events / 1000}k events from 4 concurrent connections: none lost, none twice, in order per connection`, async () => {
    const [listen, forward] = await ports();
    const downstream = new SocketSource(forward);
    await downstream.start();
    const sidecar = await Sidecar.start(listen, forward);
    const started = performance.now();
    const cpuBefore = sidecar.cpuSeconds();
    const upstreams = [0, 1, 2, 3].map((conn) => new SocketSink(listen, conn, each));
    await Promise.all(upstreams.map((u) => u.done));
    await waitFor(`${events} events downstream`, () => downstream.total() >= events, 60_000);
    const seconds = (performance.now() - started) / 1000;
    const cpu = sidecar.cpuSeconds() - cpuBefore;
    console.log(
      `[serve] ${events} sample events over 4 connections in ${seconds.toFixed(2)} s: ${Math.round(events / seconds)} events/s; ` +
        `the sidecar used ${cpu.toFixed(2)} s of CPU: ${Math.round(events / cpu)} events per CPU-second`,
    );

    expect(downstream.connections).toHaveLength(1);
    for (const conn of [0, 1, 2, 3]) expect(checkConnection(downstream.connections, conn, each)).toBe(0);
    expect(downstream.total()).toBe(events);
    const one = downstream.connections[0].find((e) => e.conn === 2 && e.seq === 1234)!;
    expect(one).toMatchObject(JSON.parse(event(2, 1234)));
    expectAnnotated(one);
    sidecar.child.kill("SIGTERM");
    expect(await sidecar.exited).toBe(0);
  });
}
