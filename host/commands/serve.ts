// tarkin serve: the sidecar that runs the module for a Vector pipeline (Vector dropped its wasm
// transform in 0.17). Events come from Vector's socket sink and go to its socket source; the
// sidecar's own log and statistics go to stderr.
import { Command } from "commander";
import { CliError } from "../core/errors.js";
import { FluentBitFilter, HarnessError } from "../core/harness.js";
import { addSettingsOptions, type SettingsOptions } from "../core/settings.js";
import { parseAddress, Sidecar } from "../core/serve.js";
import { Downstream, formatAddress, replayWindowBytes } from "../core/serve-downstream.js";
import { filterModule } from "./check.js";

interface ServeOptions extends SettingsOptions {
  wasm?: string;
  listen: string;
  forward: string;
  stats?: string;
  tag: string;
}

/** Output bytes queued (read and filtered, not yet written downstream) at which reading stops. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

export function serveCommand(): Command {
  return addSettingsOptions(
    new Command("serve")
      .description("a sidecar for Vector: events from its socket sink through the module to its socket source (newline-delimited JSON over TCP)")
      .option("--wasm <module.wasm>", "a module from tarkin pack (default: the embedded default model)")
      .requiredOption("--listen <host:port>", "where Vector's socket sink connects")
      .requiredOption("--forward <host:port>", "the address of Vector's socket source")
      .option("--stats <seconds>", "print events in, out and queued on stderr every so many seconds")
      .option("--tag <tag>", "the tag events carry", "tarkin"),
  ).action((o: ServeOptions) => serve(o));
}

function log(message: string): void {
  process.stderr.write(`tarkin serve: ${message}\n`);
}

function statsSeconds(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw new CliError(`--stats must be a number of seconds above 0, not ${JSON.stringify(text)}`);
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

async function serve(o: ServeOptions): Promise<void> {
  const listen = parseAddress(o.listen, "--listen");
  const forward = parseAddress(o.forward, "--forward");
  const every = o.stats === undefined ? undefined : statsSeconds(o.stats);
  let filter: FluentBitFilter;
  try {
    filter = new FluentBitFilter(filterModule(o));
  } catch (e) {
    if (e instanceof HarnessError) throw new CliError(`${o.wasm}: ${e.message}`);
    throw e;
  }
  const replay = replayWindowBytes();
  const downstream = new Downstream(forward, { highWater: HIGH_WATER_BYTES, replay, log, onRoom: () => sidecar.resume() });
  const sidecar = new Sidecar(filter, downstream, o.tag, log);
  const stats = () => {
    const s = { ...sidecar.stats(), ...downstream.stats() };
    return `${s.in} events in, ${s.out} out, ${s.queuedEvents} queued (${s.queuedBytes} bytes), ${s.resent} resent, ${s.unconfirmedBytes} bytes unconfirmed` +
      (s.lost ? `, ${s.lost} LOST` : "");
  };
  await sidecar.listen(listen);
  log(`forwarding to ${formatAddress(forward)}; reading pauses at ${HIGH_WATER_BYTES} queued bytes; up to ${replay} bytes kept to resend`);
  downstream.connect();
  const timer = every === undefined ? undefined : setInterval(() => log(stats()), every * 1000);
  const signal = await stopSignal(() => {
    log(`stopped before delivering everything: ${stats()}`);
    process.exit(1);
  });
  log(`${signal}: stopping; delivering what was read`);
  await sidecar.stop();
  clearInterval(timer);
  const m = filter.stats();
  log(`stopped: ${stats()}; ${m.anomalous} anomalous, ${m.errors} unreadable`);
}
