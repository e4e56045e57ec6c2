// The commands end to end (test/commands/*.test.ts), each test in a fresh temporary directory,
// checking what a user sees (stdout, stderr, the exit status, the files written): run in process
// (runTarkin, as the bundled CLI runs it), or the bundled dist/tarkin.js as a child process where
// the process itself is under test (the command line's wiring, a heap limit, parallel processes).
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { Readable } from "node:stream";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT, shared } from "../helpers.js";
import type { Model } from "../../host/core/module/model.js";
import { runTarkin } from "../../host/program.js";

export const CLI = resolve(ROOT, "dist/tarkin.js");
export const CORE_WASM = resolve(ROOT, "build/tarkin-core.wasm");
export const APACHE = shared("data/loghub/Apache_2k.log");

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A model file as written, read back without the checks parseModel makes. */
export type ModelFile = Omit<Model, "provenance"> & { provenance?: { trainedOn?: Record<string, unknown>[] } };

export type Annotated = Record<string, unknown>;

/** The running test's directory. */
export let dir: string;

/**
 * Runs `tarkin <args>` in this process, in `cwd` (the test's directory), with `input` on standard
 * input (empty if none): what a user sees is what the command writes to process.stdout and stderr.
 */
export async function runHere(args: string[], input = "", cwd = dir): Promise<Result> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const { stdout, stderr } = process;
  const writes = [stdout.write, stderr.write];
  const capture = (into: Buffer[]) =>
    ((chunk: string | Uint8Array, encoding?: BufferEncoding | (() => void), done?: () => void) => {
      into.push(typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8") : Buffer.from(chunk));
      const callback = typeof encoding === "function" ? encoding : done;
      if (callback) process.nextTick(callback);
      return true;
    }) as typeof stdout.write;
  const stdin = Object.getOwnPropertyDescriptor(process, "stdin")!;
  const previous = process.cwd();
  stdout.write = capture(out);
  stderr.write = capture(err);
  Object.defineProperty(process, "stdin", { value: Readable.from(input ? [Buffer.from(input)] : []), configurable: true });
  process.chdir(cwd);
  try {
    const status = await runTarkin(args);
    return { status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
  } finally {
    process.chdir(previous);
    Object.defineProperty(process, "stdin", stdin);
    [stdout.write, stderr.write] = writes;
  }
}

/** Runs the bundled CLI in the test's directory, with `input` on standard input (empty if none). */
export function run(args: string[], input?: string): Result {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input: input ?? "", encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The command succeeded (stderr shown when it did not). */
export function ok(r: Result): Result {
  expect(r.status, `stderr: ${r.stderr}`).toBe(0);
  return r;
}

/** The command failed the way the CLI promises: a non-zero exit, one line on stderr, no stack trace. */
export function fails(r: Result, message?: RegExp | string): Result {
  expect(r.status, `stdout: ${r.stdout.slice(0, 300)}`).not.toBe(0);
  expect(r.status).not.toBeNull();
  expect(r.stderr).not.toContain("    at ");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, `stderr: ${r.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(/^tarkin( [a-z]+)?: \S/);
  if (message !== undefined) {
    if (typeof message === "string") expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
  }
  return r;
}

export function write(name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}

export function read(name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

export function exists(name: string): boolean {
  return existsSync(join(dir, name));
}

export function model(name: string): ModelFile {
  return JSON.parse(read(name)) as ModelFile;
}

/** What training determines: the messages and every character's statistics, in order. */
export function learned(m: ModelFile) {
  return { messages: m.messages, characters: m.characters.map(({ char, n, K, Ex, Ex2, max, min }) => ({ char, n, K, Ex, Ex2, max, min })) };
}

/** Lines of text, without the final newline's empty remainder. */
export function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function records(stdout: string): Annotated[] {
  return linesOf(stdout).map((l) => JSON.parse(l) as Annotated);
}

/** The numbers of check's summary line. */
export function summary(stderr: string) {
  const m = /tarkin check: (\d+) records in, (\d+) out, (\d+) infrequent, (\d+) anomalous, (\d+) errors/.exec(stderr);
  expect(m, `stderr: ${stderr}`).not.toBeNull();
  const [recordsIn, out, infrequent, anomalous, errors] = m!.slice(1).map(Number);
  return { recordsIn, out, infrequent, anomalous, errors };
}

/** `tarkin sample` into a file of the test directory. */
export async function sample(name: string, lines = 300, seed = 1, attacks?: number): Promise<string> {
  ok(await runHere(["sample", "--lines", String(lines), "--seed", String(seed), ...(attacks === undefined ? [] : ["--attacks", String(attacks)]), "-o", name]));
  return name;
}

/** Models trained on 300 sample lines, by seed: trained once a file, for the tests that need a model rather than test training. */
let models: string;

/** A fresh `dir` for each test of the file, and the file's cache of trained models. */
export function useTestDirectory(): void {
  beforeAll(() => {
    models = mkdtempSync(join(tmpdir(), "tarkin-cli-models-"));
  });
  afterAll(() => {
    rmSync(models, { recursive: true, force: true });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tarkin-cli-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
}

/** A model trained on 300 sample lines (train-SEED.log), copied into the test's directory. */
export async function trained(name = "m.json", seed = 1): Promise<string> {
  const model = join(models, `train-${seed}.json`);
  if (!existsSync(model)) {
    const log = join(models, `train-${seed}.log`);
    ok(await runHere(["sample", "--lines", "300", "--seed", String(seed), "-o", log]));
    ok(await runHere(["train", log, "-o", model]));
  }
  copyFileSync(model, join(dir, name));
  return name;
}

export async function packed(name = "t.wasm", extra: string[] = []): Promise<string> {
  ok(await runHere(["pack", "--model", await trained(), ...extra, "-o", name]));
  return name;
}

export const SCORE_FIELDS = ["tarkin_surprise", "tarkin_infrequent", "tarkin_sentiment", "tarkin_fear", "tarkin_anomaly"];

export function expectAnnotated(r: Annotated): void {
  for (const f of SCORE_FIELDS) expect(r, JSON.stringify(r)).toHaveProperty(f);
  expect(typeof r.tarkin_surprise).toBe("number");
  expect(typeof r.tarkin_infrequent).toBe("boolean");
  expect(typeof r.tarkin_sentiment).toBe("number");
  expect(typeof r.tarkin_fear).toBe("number");
  expect(typeof r.tarkin_anomaly).toBe("boolean");
}
