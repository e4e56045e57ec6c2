// tarkin serve end to end: the bundled CLI as a child process between a client that speaks Vector's
// socket sink (newline-delimited JSON over TCP) and a server that speaks its socket source, all on
// 127.0.0.1 with ports found free at run time. Every wait is bounded in time; every test closes its
// sockets and its child.
import { describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { checkConnection, cleanups, event, HOST, itCarriesConcurrently, ports, Sidecar, SocketSink, SocketSource, waitFor } from "./serve.helpers.js";

/** host/commands/serve.ts's HIGH_WATER_BYTES. */
const HIGH_WATER = 4 * 1024 * 1024;

describe("tarkin serve", () => {
  // 100k in test/commands/serve/serve.volume.test.ts.
  itCarriesConcurrently(10_000);

  it("delivers everything, in order, when the downstream goes away mid-stream and comes back on the same port", async () => {
    const [listen, forward] = await ports();
    let downstream = new SocketSource(forward);
    await downstream.start();
    const sidecar = await Sidecar.start(listen, forward);
    const upstreams = [0, 1, 2].map((conn) => new SocketSink(listen, conn, 20_000));
    await waitFor("some events downstream", () => downstream.total() >= 15_000);
    downstream.close();
    const before = downstream.connections;
    await waitFor("two failed reconnects", () => (sidecar.stderr.match(/retrying in/g)?.length ?? 0) >= 3);
    downstream = new SocketSource(forward);
    await downstream.start();
    await Promise.all(upstreams.map((u) => u.done));
    await waitFor("every event after the restart", () => [0, 1, 2].every((conn) => downstream.all().some((e) => e.conn === conn && e.seq === 19_999)), 30_000);

    const all = [...before, ...downstream.connections];
    let duplicates = 0;
    for (const conn of [0, 1, 2]) duplicates += checkConnection(all, conn, 20_000);
    // At least once: a resend only at the start of a new connection, of what the failed one may not have delivered.
    expect(all.reduce((n, c) => n + c.length, 0)).toBe(60_000 + duplicates);
    expect(sidecar.stderr).toMatch(/events to send again; retrying in \d+ ms/);
    expect(sidecar.stderr).toMatch(/connected to downstream .*, sending again/);
    sidecar.child.kill("SIGTERM");
    expect(await sidecar.exited).toBe(0);
  });

  it("stops reading upstream while the downstream does not read, stays bounded, and delivers everything to a slow reader", async () => {
    const [listen, forward] = await ports();
    const downstream = new SocketSource(forward);
    downstream.stall();
    await downstream.start();
    const sidecar = await Sidecar.start(listen, forward);
    const upstream = new SocketSink(listen, 0, 60_000);

    // The sidecar stops reading: its count of events in stays still over five stats lines (half a
    // second) while the client waits to write.
    let held = -1;
    let since = 0;
    await waitFor("the sidecar to stop reading", () => {
      if (sidecar.stats().in !== held) [held, since] = [sidecar.stats().in, sidecar.statsLines()];
      return upstream.blocked && sidecar.statsLines() >= since + 5;
    });
    expect(upstream.blocked).toBe(true);
    expect(upstream.written).toBeLessThan(60_000);
    expect(sidecar.stats().queuedBytes).toBeLessThanOrEqual(HIGH_WATER + 1024 * 1024);
    expect(sidecar.rssBytes()).toBeLessThan(400 * 1024 * 1024);

    downstream.slow();
    await upstream.done;
    await waitFor("every event through the slow reader", () => downstream.total() >= 60_000, 60_000);
    expect(checkConnection(downstream.connections, 0, 60_000)).toBe(0);
    sidecar.child.kill("SIGTERM");
    expect(await sidecar.exited).toBe(0);
  });

  it("passes malformed lines on marked with tarkin_error, in order, in annotate and in drop mode", async () => {
    const line = (i: number) => (i % 10 === 3 ? `not json ${i}` : i % 10 === 5 ? `[${i}]` : i % 10 === 7 ? `{"message": "unterminated ${i}` : event(0, i));
    const malformed = (i: number) => [3, 5, 7].includes(i % 10);
    for (const mode of ["annotate", "drop"]) {
      const [listen, forward] = await ports();
      const downstream = new SocketSource(forward);
      await downstream.start();
      const sidecar = await Sidecar.start(listen, forward, "--mode", mode);
      await new SocketSink(listen, 0, 1_000, line).done;
      await waitFor("every malformed line", () => downstream.all().filter((e) => e.tarkin_error).length >= 300);
      sidecar.child.kill("SIGTERM");
      expect(await sidecar.exited).toBe(0);

      const out = downstream.all();
      const marked = out.filter((e) => e.tarkin_error !== undefined);
      const expected = Array.from({ length: 1_000 }, (_, i) => i).filter(malformed);
      expect(marked).toHaveLength(expected.length);
      marked.forEach((e, k) => {
        expect(e.tarkin_anomaly).toBe(true);
        expect(e.tarkin_record).toBe(line(expected[k]));
      });
      if (mode === "annotate") {
        expect(out).toHaveLength(1_000);
        out.forEach((e, i) => (malformed(i) ? expect(e.tarkin_error).toBeDefined() : expect(e).toMatchObject({ conn: 0, seq: i })));
      } else {
        expect(out.length).toBeLessThan(1_000);
        for (const e of out.filter((e) => e.tarkin_error === undefined)) expect(e.tarkin_anomaly).toBe(true);
      }
    }
  });

  it("on SIGTERM with nothing read and the downstream unreachable, exits 0 at once rather than waiting for it", async () => {
    const [listen, forward] = await ports(); // nothing listens on forward
    const sidecar = await Sidecar.start(listen, forward);
    await waitFor("a failed connection", () => sidecar.stderr.includes("retrying in"));
    sidecar.child.kill("SIGTERM");
    const code = await Promise.race([sidecar.exited, new Promise((r) => setTimeout(() => r("still running"), 10_000))]);
    expect(code, sidecar.stderr).toBe(0);
    expect(sidecar.stderr).toMatch(/nothing to deliver; not waiting for a connection[\s\S]*stopped: 0 events in, 0 out/);
  });

  it("on SIGTERM stops reading, delivers everything it read (in flight included) and exits 0", async () => {
    const [listen, forward] = await ports();
    const downstream = new SocketSource(forward);
    downstream.stall();
    await downstream.start();
    const sidecar = await Sidecar.start(listen, forward);
    const upstreams = [0, 1].map((conn) => new SocketSink(listen, conn, 40_000));
    await waitFor("events read and queued", () => sidecar.stats().in >= 5_000 && sidecar.stats().queued > 0);
    const atSignal = sidecar.stats();
    sidecar.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    downstream.read();
    const code = await Promise.race([sidecar.exited, new Promise((r) => setTimeout(() => r("still running"), 30_000))]);
    expect(code).toBe(0);
    await Promise.all(upstreams.map((u) => u.done));

    const stopped = /stopped: (\d+) events in, (\d+) out, 0 queued \(0 bytes\), 0 resent/.exec(sidecar.stderr);
    expect(stopped, sidecar.stderr).not.toBeNull();
    const read = Number(stopped![1]);
    expect(Number(stopped![2])).toBe(read);
    expect(read).toBeGreaterThan(atSignal.out);
    expect(downstream.connections).toHaveLength(1);
    const events = downstream.connections[0];
    expect(events).toHaveLength(read);

    // A line the stop cut in two goes on as it was read, marked unreadable: at the very end, one per connection at most.
    const cut = events.filter((e) => e.tarkin_error !== undefined);
    expect(cut.length).toBeLessThanOrEqual(2);
    expect(events.slice(events.length - cut.length)).toEqual(cut);
    const whole = events.slice(0, events.length - cut.length);
    const count = [0, 1].map((conn) => {
      const seqs = whole.filter((e) => e.conn === conn).map((e) => e.seq as number);
      expect(seqs).toEqual(seqs.map((_, i) => i));
      return seqs.length;
    });
    for (const e of cut) expect([0, 1].some((conn) => event(conn, count[conn]).startsWith(e.tarkin_record as string))).toBe(true);
    expect(sidecar.stderr).toMatch(/SIGTERM: stopping/);
  });

  it("refuses bad options with one line on stderr and a non-zero exit", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, HOST, r));
    cleanups.push(() => busy.close());
    const busyPort = (busy.address() as { port: number }).port;
    const cases: [string[], RegExp][] = [
      [["--listen", "localhost", "--forward", `${HOST}:9`], /--listen must be HOST:PORT/],
      [["--listen", `${HOST}:70000`, "--forward", `${HOST}:9`], /--listen must be HOST:PORT with a port from 1 to 65535/],
      [["--listen", `${HOST}:${busyPort}`, "--forward", "nowhere:x"], /--forward must be HOST:PORT/],
      [["--listen", `${HOST}:${busyPort}`, "--forward", `${HOST}:9`], /--listen 127\.0\.0\.1:\d+: the address is in use/],
      [["--listen", `${HOST}:${busyPort}`, "--forward", `${HOST}:9`, "--stats", "0"], /--stats must be a number of seconds above 0/],
      [["--listen", `${HOST}:${busyPort}`, "--forward", `${HOST}:9`, "--wasm", "build/tarkin.wasm", "--mode", "drop"], /settings are packed into build\/tarkin.wasm/],
    ];
    for (const [args, message] of cases) {
      const sidecar = new Sidecar(args);
      expect(await sidecar.exited, args.join(" ")).not.toBe(0);
      expect(sidecar.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(sidecar.stderr).toMatch(message);
    }
  });
});
