// The sidecar for Vector: newline-delimited JSON events from Vector's socket sink (any number of
// connections), each through the module as the harness drives it, what comes out to Vector's socket
// source. One module instance for every connection: the adaptive gate's history is the pipeline's,
// as with Fluent Bit's one instance per filter, and must not restart when Vector reconnects.
import type { Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { CliError, UsageError } from "../errors.js";
import { isBlank, MAX_LINE } from "../io/input.js";
import { eventTime, type FluentBitFilter } from "../module/harness.js";
import { formatAddress, type Address, type Downstream } from "./serve-downstream.js";

/** HOST:PORT, an IPv6 host in brackets. */
export function parseAddress(text: string, option: string): Address {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) throw new UsageError(`${option} must be HOST:PORT with a port from 1 to 65535, not ${JSON.stringify(text)}`);
  return { host: m[1] ?? m[2], port };
}

/**
 * Starts `server` listening on `option`'s address: a CliError when it cannot (the address in use),
 * `saying` logged when it does, and later errors logged rather than thrown. Both sidecar modes and
 * the operations endpoint use it.
 */
export function listenOn(server: Server | HttpServer, address: Address, option: string, log: (message: string) => void, saying: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const refuse = (e: NodeJS.ErrnoException) =>
      reject(new CliError(`${option} ${formatAddress(address)}: ${e.code === "EADDRINUSE" ? "the address is in use" : e.message}`));
    server.once("error", refuse);
    server.listen(address.port, address.host, () => {
      server.off("error", refuse);
      server.on("error", (e: Error) => log(`${option}: ${e.message}`));
      log(saying);
      resolve();
    });
  });
}

/** Where each batch's time through the module goes: the tarkin_serve_batch_seconds histogram. */
export interface Observer {
  observe(seconds: number): void;
}

interface Upstream {
  socket: Socket;
  name: string;
  /** The start of a line whose newline has not arrived yet, and its size. */
  partial: Buffer[];
  partialBytes: number;
  events: number;
}

export interface SidecarStats {
  in: number;
  bytesIn: number;
  lost: number;
  upstreams: number;
}

export class Sidecar {
  private readonly server: Server;
  private readonly upstreams = new Set<Upstream>();
  private paused = false;
  private stopping = false;
  private in = 0;
  private bytesIn = 0;
  private lost = 0;

  constructor(
    private readonly filter: FluentBitFilter,
    private readonly downstream: Downstream,
    private readonly tag: string,
    private readonly log: (message: string) => void,
    /** Observes each read's events through the module (timing every event would cost a tenth of the sidecar's CPU). */
    private readonly batchSeconds: Observer,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(address: Address): Promise<void> {
    return listenOn(this.server, address, "--listen", this.log, `listening on ${formatAddress(address)}`);
  }

  stats(): SidecarStats {
    return { in: this.in, bytesIn: this.bytesIn, lost: this.lost, upstreams: this.upstreams.size };
  }

  /** The downstream has room again: read on. */
  resume(): void {
    if (!this.paused || this.stopping) return;
    this.paused = false;
    for (const u of this.upstreams) u.socket.resume();
  }

  /**
   * Stops accepting and reading; what was read goes through (a line cut short by the stop goes as
   * it is, which the module marks as unreadable, rather than being dropped); resolves once Vector
   * has confirmed it all.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.server.close();
    for (const u of this.upstreams) {
      u.socket.pause();
      // Paused, a socket still holds what it read before the pause; read() hands it to the data handler.
      while (u.socket.read() !== null);
    }
    // Then the lines the stop cut short, after every whole one.
    for (const u of this.upstreams) {
      this.rest(u);
      u.socket.destroy();
    }
    await this.downstream.finish();
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const u: Upstream = { socket, name: `upstream ${socket.remoteAddress}:${socket.remotePort}`, partial: [], partialBytes: 0, events: 0 };
    this.upstreams.add(u);
    this.log(`${u.name} connected`);
    socket.on("data", (chunk: Buffer) => this.receive(u, chunk));
    if (this.paused) socket.pause();
    socket.on("error", (e) => this.log(`${u.name}: ${e.message}`));
    socket.on("close", () => {
      this.rest(u);
      this.upstreams.delete(u);
      this.log(`${u.name} closed after ${u.events} events`);
    });
  }

  private receive(u: Upstream, chunk: Buffer): void {
    this.bytesIn += chunk.length;
    const started = performance.now();
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      let line = chunk.subarray(start, nl);
      if (u.partial.length) {
        u.partial.push(line);
        line = Buffer.concat(u.partial);
        u.partial = [];
        u.partialBytes = 0;
      }
      this.event(u, line);
      start = nl + 1;
    }
    if (start > 0) this.batchSeconds.observe((performance.now() - started) / 1000);
    if (start < chunk.length) {
      u.partial.push(chunk.subarray(start));
      u.partialBytes += chunk.length - start;
      // A line that never ends must not take all memory: past MAX_LINE it goes on as it is (marked).
      if (u.partialBytes >= MAX_LINE) this.rest(u);
    }
    if (this.downstream.full()) this.pause();
  }

  /**
   * What is left after the last newline when the connection ends, fails or is stopped: a last line
   * without its newline, or one cut short, which goes as it was read (the module marks what it
   * cannot read) rather than being dropped.
   */
  private rest(u: Upstream): void {
    if (!u.partial.length) return;
    const line = Buffer.concat(u.partial);
    u.partial = [];
    u.partialBytes = 0;
    this.event(u, line);
  }

  /** One event through the module exactly as `tarkin check --format ndjson` sends a line. */
  private event(u: Upstream, line: Buffer): void {
    if (isBlank(line)) return;
    this.in++;
    u.events++;
    const result = this.filter.filter(line, this.tag, eventTime());
    if (result === null) {
      this.lost++;
      this.log(`the module lost an event (a trap, or no result): ${line.toString("utf8", 0, Math.min(line.length, 200))}`);
    } else if (result !== "") this.downstream.push(result);
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const u of this.upstreams) u.socket.pause();
  }
}
