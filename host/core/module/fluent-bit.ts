// The real Fluent Bit, where it is installed: finding its binaries (fluent-bit, and flb-wamrc for
// ahead-of-time compiled modules), writing a tail -> wasm -> file pipeline, and running it until
// every record is out, with the CPU time the process spent (its wall time ends on a flush tick).
// Used by `tarkin pack --aot`, the real-binary tests and `npm run bench`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { CliError } from "../errors.js";

/** An executable: the path in the environment variable, else the first `name` on PATH; null when neither. */
export function findExecutable(name: string, variable: string): string | null {
  const given = process.env[variable];
  if (given) return given;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

export const fluentBitBinary = (): string | null => findExecutable("fluent-bit", "FLUENT_BIT");
export const wamrcBinary = (): string | null => findExecutable("flb-wamrc", "FLB_WAMRC");

/** What `fluent-bit --version` says, e.g. "Fluent Bit v5.1.1". */
export function fluentBitVersion(binary: string): string {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return (r.stdout ?? "").split("\n")[0].trim();
}

// ---------------------------------------------------------------------------------------------
// Ahead-of-time compilation, for `tarkin pack --aot`.

/** WAMR's AOT files start with "\0aot". */
export function isAot(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x6f && bytes[3] === 0x74;
}

/** flb-wamrc's path; a CliError saying what is needed when it is not there. */
export function requireWamrc(): string {
  const wamrc = wamrcBinary();
  if (wamrc) return wamrc;
  throw new CliError(
    "--aot needs flb-wamrc, Fluent Bit's AOT compiler (built with Fluent Bit's FLB_WAMRC option), on PATH or in $FLB_WAMRC; " +
      "it must come from the same Fluent Bit version that loads the .aot",
  );
}

/** Compiles `wasm` to `aot` with flb-wamrc for x86-64 CPUs of the model `cpu` (LLVM's name); a CliError when it fails. */
export function compileAot(wasm: string, aot: string, cpu: string): void {
  const wamrc = requireWamrc();
  const r = spawnSync(wamrc, ["--target=x86_64", `--cpu=${cpu}`, "-o", aot, wasm], { encoding: "utf8" });
  if (r.error) throw new CliError(`flb-wamrc could not run: ${r.error.message}`);
  if (r.status !== 0 || !existsSync(aot)) {
    const why = `${r.stderr ?? ""}${r.stdout ?? ""}`.trim().split("\n").pop();
    throw new CliError(`flb-wamrc failed (exit ${r.status}): ${why}`);
  }
}

// ---------------------------------------------------------------------------------------------
// A pipeline, and running it.

export interface Pipeline {
  /** The file tail reads from its head, one record a line. */
  input: string;
  /** Lines are JSON objects (tail's json parser), not text for the `log` field. */
  jsonLines?: boolean;
  /** tail's offsets database: with it, a hot reload goes on where the file was read to. */
  tailDb?: string;
  /** The wasm filter; none for a pipeline without it. */
  filter?: { module: string; functionName: string; eventFormat: "json" | "msgpack" };
  /** The file each record goes to as one line of JSON (out_file's plain format). */
  output: string;
  /** Fluent Bit's own log. */
  log: string;
}

/** The pipeline as Fluent Bit's YAML configuration. */
export function pipelineYaml(p: Pipeline): string {
  const q = (s: string) => JSON.stringify(s);
  const slash = p.output.lastIndexOf("/");
  const lines = [
    "service:",
    "  flush: 1",
    "  grace: 2",
    "  log_level: info",
    `  log_file: ${q(p.log)}`,
    ...(p.jsonLines ? ["parsers:", "  - name: records", "    format: json"] : []),
    "pipeline:",
    "  inputs:",
    "    - name: tail",
    `      path: ${q(p.input)}`,
    "      read_from_head: true",
    // Long records (the hostile corpus has 1 MiB ones) are read whole.
    "      buffer_max_size: 16M",
    ...(p.jsonLines ? ["      parser: records"] : []),
    ...(p.tailDb ? [`      db: ${q(p.tailDb)}`] : []),
  ];
  if (p.filter) {
    lines.push(
      "  filters:",
      "    - name: wasm",
      '      match: "*"',
      `      event_format: ${p.filter.eventFormat}`,
      `      wasm_path: ${q(p.filter.module)}`,
      `      function_name: ${p.filter.functionName}`,
      "      accessible_paths: .",
    );
  }
  lines.push(
    "  outputs:",
    "    - name: file",
    '      match: "*"',
    `      path: ${q(p.output.slice(0, slash))}`,
    `      file: ${q(p.output.slice(slash + 1))}`,
    "      format: plain",
  );
  return lines.join("\n") + "\n";
}

export interface Run {
  /** Records out: lines of the output file, or of standard output. */
  records: number;
  /** Standard output, when the records go there (else empty). */
  stdout: string;
  /** CPU seconds (user + system) of the Fluent Bit process until the last record was out. */
  cpuSeconds: number;
  /** Resident memory in bytes, sampled every `rssEvery` records out. */
  rss: number[];
  /** Fluent Bit's own log (its log file, then what it wrote on standard error). */
  log: string;
}

let clockTicks = 0;

function cpuSecondsOf(pid: number): number {
  clockTicks ||= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;
  // /proc/PID/stat: utime and stime are the 14th and 15th fields, after the command's parentheses.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Counts the lines of a file as it grows, reading only what is new. */
class LineCounter {
  private offset = 0;
  private readonly chunk = Buffer.alloc(1 << 20);
  lines = 0;
  constructor(private readonly file: string) {}
  update(): number {
    if (!existsSync(this.file)) return this.lines;
    const fd = openSync(this.file, "r");
    try {
      for (;;) {
        const n = readSync(fd, this.chunk, 0, this.chunk.length, this.offset);
        if (n <= 0) break;
        for (let at = this.chunk.indexOf(10, 0); at >= 0 && at < n; at = this.chunk.indexOf(10, at + 1)) this.lines++;
        this.offset += n;
      }
    } finally {
      closeSync(fd);
    }
    return this.lines;
  }
}

export interface RunOptions {
  /** The file the records go to, a line each; standard output when not given. */
  output?: string;
  /** More command-line arguments (-Y: hot reload on SIGHUP). */
  args?: string[];
  /** Runs beside the pipeline once it has started (to append to its input, signal it, ...). */
  during?: (child: ChildProcess) => Promise<void>;
  /** Fluent Bit's log file, as the configuration names it, read into Run.log. */
  log?: string;
  timeoutMs?: number;
  rssEvery?: number;
}

/**
 * Runs Fluent Bit with a configuration until `expected` records are out (then stops it with
 * SIGTERM and waits for it to exit); rejects when it exits first or `timeoutMs` passes.
 */
export async function runFluentBit(binary: string, config: string, expected: number, options: RunOptions = {}): Promise<Run> {
  const child = spawn(binary, ["-c", config, ...(options.args ?? [])], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const stdout: Buffer[] = [];
  let stdoutLines = 0;
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.on("data", (d: Buffer) => {
    if (options.output) return;
    stdout.push(d);
    for (let at = d.indexOf(10); at >= 0; at = d.indexOf(10, at + 1)) stdoutLines++;
  });
  let done = false;
  let failed: Error | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.on("error", (e) => {
      failed = e;
      resolve(null);
    });
  });
  void exited.then(() => (done = true));
  const counter = options.output ? new LineCounter(options.output) : null;
  const rss: number[] = [];
  let nextRss = options.rssEvery ?? Infinity;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let cpuSeconds = NaN;
  const during = options.during?.(child);
  try {
    while (!done && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (done) break;
      const out = counter ? counter.update() : stdoutLines;
      while (out >= nextRss) {
        rss.push(rssOf(child.pid!));
        nextRss += options.rssEvery!;
      }
      if (out >= expected) {
        cpuSeconds = cpuSecondsOf(child.pid!);
        break;
      }
    }
  } finally {
    if (!done) child.kill("SIGTERM");
  }
  await during;
  const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 15_000))]);
  if (code === "hung") child.kill("SIGKILL");
  const log = (options.log && existsSync(options.log) ? readFileSync(options.log, "utf8") : "") + stderr;
  const records = counter ? counter.update() : stdoutLines;
  if (failed) throw new Error(`${binary} could not run: ${failed.message}`);
  if (Number.isNaN(cpuSeconds)) {
    const state = done ? `exited (${code})` : "timed out";
    throw new Error(`fluent-bit ${state} with ${records} of ${expected} records out:\n${log.slice(-3000)}`);
  }
  return { records, stdout: Buffer.concat(stdout).toString("utf8"), cpuSeconds, rss, log };
}

/** Writes the pipeline's configuration to `config` and runs it until `expected` records are out. */
export function runPipeline(binary: string, pipeline: Pipeline, config: string, expected: number, options: Omit<RunOptions, "output" | "log"> = {}): Promise<Run> {
  writeFileSync(config, pipelineYaml(pipeline));
  return runFluentBit(binary, config, expected, { ...options, output: pipeline.output, log: pipeline.log });
}
