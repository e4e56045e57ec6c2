// The sidecar's connection to Vector's socket source: the output lines in order, written in large
// chunks from a bounded queue, reconnecting with backoff, and sending again what may not have
// arrived when a connection fails. TCP says nothing about what the peer has read, so delivery is at
// least once: see replayWindowBytes.
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";

export interface Address {
  host: string;
  port: number;
}

export function formatAddress({ host, port }: Address): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

interface Chunk {
  bytes: Buffer;
  events: number;
  /** Written on some connection before: writing it again is a resend. */
  sent: boolean;
}

export interface DownstreamStats {
  out: number;
  /** The bytes of the events out (resent ones not counted again). */
  bytesOut: number;
  resent: number;
  /** Connections that failed or could not be made, each followed by a retry. */
  reconnects: number;
  connected: boolean;
  queuedEvents: number;
  queuedBytes: number;
  unconfirmedBytes: number;
}

const CHUNK_BYTES = 64 * 1024;
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;
const KEEPALIVE_MS = 10_000;
/** Where /proc does not say (not Linux): Linux's default maxima, 4 MiB sending and 6 MiB receiving, with room. */
const FALLBACK_REPLAY_BYTES = 16 * 1024 * 1024;

function largestNumberIn(file: string): number {
  return Math.max(...readFileSync(file, "utf8").trim().split(/\s+/).map(Number));
}

/**
 * The most bytes that can lie between a write here and Vector's read: written data stays in the
 * sender's TCP buffer until the peer acknowledges it, and acknowledged data in the receiver's until
 * Vector reads it. Node leaves the send buffer to autotuning (at most tcp_wmem's maximum); Vector's
 * receive buffer is autotuned up to tcp_rmem's maximum, or set by receive_buffer_bytes, which the
 * kernel doubles and caps at rmem_max. A line with more than this many bytes written after it has
 * been read. Read from this host: the sidecar runs beside Vector, under the same kernel settings.
 */
export function replayWindowBytes(): number {
  try {
    const send = largestNumberIn("/proc/sys/net/ipv4/tcp_wmem");
    const receive = Math.max(largestNumberIn("/proc/sys/net/ipv4/tcp_rmem"), 2 * largestNumberIn("/proc/sys/net/core/rmem_max"));
    return Number.isFinite(send + receive) ? send + receive : FALLBACK_REPLAY_BYTES;
  } catch {
    return FALLBACK_REPLAY_BYTES;
  }
}

export interface DownstreamOptions {
  /** Queued bytes at which the upstream is paused; it resumes below half of it. */
  highWater: number;
  /** Bytes written on a connection kept to be sent again if it fails. */
  replay: number;
  log(message: string): void;
  /** The queue has room again. */
  onRoom(): void;
}

export class Downstream {
  private readonly where: string;
  /** Lines not yet joined into a chunk. */
  private lines: string[] = [];
  private linesLength = 0;
  /** Chunks waiting to be written on the current connection, in order. */
  private queue: Chunk[] = [];
  private queueBytes = 0;
  private queueEvents = 0;
  /** The last chunks written on the current connection, at least `replay` bytes: not known to have been read. */
  private written: Chunk[] = [];
  private writtenBytes = 0;
  private socket?: Socket;
  private writable = false;
  private lastError = "";
  private retryMs = FIRST_RETRY_MS;
  private retry?: NodeJS.Timeout;
  /** Finished with nothing to deliver: no connection is made or waited for again. */
  private stopped = false;
  private pumpScheduled = false;
  private finished?: () => void;
  /** Our end of stream is sent on the current connection. */
  private ended = false;
  /** Vector closed the connection after our end of stream, so it has read everything before it. */
  private confirmed = false;
  private out = 0;
  private bytesOut = 0;
  private resent = 0;
  private reconnects = 0;

  constructor(private readonly address: Address, private readonly options: DownstreamOptions) {
    this.where = `downstream ${formatAddress(address)}`;
  }

  /** One output line; written with the others of this turn of the event loop. */
  push(line: string): void {
    this.lines.push(line);
    this.linesLength += line.length + 1;
    if (this.linesLength >= CHUNK_BYTES) this.seal();
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  /** At the high-water mark: the upstream should stop reading. */
  full(): boolean {
    return this.queueBytes + this.linesLength >= this.options.highWater;
  }

  stats(): DownstreamStats {
    return {
      out: this.out,
      bytesOut: this.bytesOut,
      resent: this.resent,
      reconnects: this.reconnects,
      connected: this.socket !== undefined && !this.socket.connecting && !this.socket.destroyed,
      queuedEvents: this.queueEvents + this.lines.length,
      queuedBytes: this.queueBytes + this.linesLength,
      unconfirmedBytes: this.writtenBytes,
    };
  }

  connect(): void {
    const socket = connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    this.ended = false;
    this.confirmed = false;
    // An address that never answers would otherwise hold the first attempt for minutes.
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no connection after ${CONNECT_TIMEOUT_MS} ms`)));
    socket.once("connect", () => {
      socket.setTimeout(0);
      socket.setNoDelay(true); // lines are already batched into chunks
      socket.setKeepAlive(true, KEEPALIVE_MS);
      this.options.log(`connected to ${this.where}` + (this.queue.some((c) => c.sent) ? `, sending again what the last connection may not have delivered` : ""));
      this.retryMs = FIRST_RETRY_MS;
      this.writable = true;
      this.pump();
    });
    socket.on("drain", () => {
      this.writable = true;
      this.pump();
    });
    // Vector's socket source sends nothing; reading is how its end of stream is seen.
    socket.resume();
    socket.on("end", () => {
      if (this.ended) this.confirmed = true;
      else this.lastError = "it closed the connection";
    });
    socket.on("error", (e) => {
      this.lastError = e.message;
    });
    socket.on("close", () => this.closed());
  }

  /** Writes everything, then ends the stream; resolves once Vector has closed its side in answer. */
  finish(): Promise<void> {
    return new Promise((resolve) => {
      this.finished = resolve;
      this.seal();
      // Nothing read and no connection: nothing to deliver, so no reason to wait for one.
      if (!this.writable && !this.pending()) this.giveUp();
      else this.pump();
    });
  }

  /** Whether anything read is not known to have been delivered. */
  private pending(): boolean {
    return this.queue.length > 0 || this.written.length > 0 || this.lines.length > 0;
  }

  /** Finishing with nothing to deliver: no more attempts, and done. */
  private giveUp(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.socket?.destroy();
    this.options.log(`${this.where}: nothing to deliver; not waiting for a connection`);
    this.finished?.();
  }

  private seal(): void {
    if (!this.lines.length) return;
    const chunk = { bytes: Buffer.from(this.lines.join("\n") + "\n"), events: this.lines.length, sent: false };
    this.queue.push(chunk);
    this.queueBytes += chunk.bytes.length;
    this.queueEvents += chunk.events;
    this.lines = [];
    this.linesLength = 0;
  }

  private pump(): void {
    this.seal();
    while (this.writable && this.queue.length) {
      const chunk = this.queue.shift()!;
      this.queueBytes -= chunk.bytes.length;
      this.queueEvents -= chunk.events;
      if (chunk.sent) this.resent += chunk.events;
      else {
        this.out += chunk.events;
        this.bytesOut += chunk.bytes.length;
      }
      chunk.sent = true;
      this.keep(chunk);
      this.writable = this.socket!.write(chunk.bytes);
    }
    if (this.queueBytes < this.options.highWater / 2) this.options.onRoom();
    if (this.finished && this.writable && !this.queue.length && !this.ended) {
      this.ended = true;
      this.socket!.end();
    }
  }

  private keep(chunk: Chunk): void {
    this.written.push(chunk);
    this.writtenBytes += chunk.bytes.length;
    while (this.writtenBytes - this.written[0].bytes.length >= this.options.replay) this.writtenBytes -= this.written.shift()!.bytes.length;
  }

  private closed(): void {
    if (this.stopped) return;
    this.socket = undefined;
    this.writable = false;
    if (this.confirmed) {
      this.written = [];
      this.writtenBytes = 0;
      this.options.log(`${this.where} confirmed everything written to it`);
      this.finished?.();
      return;
    }
    // What went out on the dead connection may not have been read: it goes first on the next one.
    const again = this.written.reduce((n, c) => n + c.events, 0);
    this.queue = this.written.concat(this.queue);
    this.queueBytes += this.writtenBytes;
    this.queueEvents += again;
    this.written = [];
    this.writtenBytes = 0;
    if (this.finished && !this.pending()) {
      this.giveUp();
      return;
    }
    this.options.log(`${this.where}: ${this.lastError || "connection closed"}; ${again ? `${again} events to send again; ` : ""}retrying in ${this.retryMs} ms`);
    this.lastError = "";
    this.reconnects++;
    this.retry = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}
