// Reading logs: from files or standard input ("-"), streamed in constant memory. A line is what
// comes before a \n, without a \r just before it (CRLF files), and a last line needs no \n.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { CliError, warn } from "../errors.js";
import { CsvReader } from "./csv.js";
import { fluentBitRecord } from "../module/harness.js";

export type Format = "lines" | "ndjson" | "csv";

/**
 * What a file is read in. Small enough that a chunk is collected young, soon after its lines are
 * read: 1 MiB chunks lived long enough to pile up as garbage outside the JavaScript heap (check on a
 * million lines peaked at 170 MB with them, 110 MB with these; CPU time within 5%).
 */
const CHUNK = 1 << 16;

export interface Source {
  name: string;
  size?: number;
  open(): AsyncIterable<Buffer>;
}

export function sources(files: string[]): Source[] {
  const names = files.length ? files : ["-"];
  return names.map((name) => {
    if (name === "-") return { name: "stdin", open: () => process.stdin as AsyncIterable<Buffer> };
    let size: number;
    try {
      const stat = statSync(name);
      if (stat.isDirectory()) throw new CliError(`${name} is a directory, not a log file`);
      size = stat.size;
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot read ${name}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    return { name, size, open: () => createReadStream(name, { highWaterMark: CHUNK }) };
  });
}

/**
 * The same sources, readable more than once: standard input is copied into a temporary file first.
 * `remove` deletes that file.
 */
export async function rereadable(inputs: Source[]): Promise<{ inputs: Source[]; remove(): void }> {
  let dir: string | undefined;
  const remove = () => dir && rmSync(dir, { recursive: true, force: true });
  const out: Source[] = [];
  try {
    for (const [i, s] of inputs.entries()) {
      if (s.size !== undefined) {
        out.push(s);
        continue;
      }
      dir ??= mkdtempSync(join(tmpdir(), "tarkin-stdin-"));
      const file = join(dir, String(i));
      await pipeline(s.open(), createWriteStream(file));
      out.push({ name: s.name, size: statSync(file).size, open: () => createReadStream(file, { highWaterMark: CHUNK }) });
    }
  } catch (e) {
    remove();
    throw e;
  }
  return { inputs: out, remove };
}

/** Longer lines are split: memory stays bounded whatever the input (a file with no newline at all). */
export const MAX_LINE = 16 << 20;

/**
 * Blocks of whole lines (each ends with \n, but maybe the very last), for bulk consumers. Warns
 * once per source on stderr when it looks binary (a NUL byte) or has a line over MAX_LINE.
 */
export async function* lineBlocks(source: Source, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  // The start of a line not ended yet, as the chunks it came in: it holds no \n, so only a new
  // chunk is searched, and a long line is joined once rather than at every chunk.
  let carry: Buffer[] = [];
  let carried = 0;
  let warnedBinary = false;
  let warnedLong = false;
  for await (const chunk of source.open()) {
    onBytes?.(chunk.length);
    if (!warnedBinary && chunk.includes(0)) {
      warnedBinary = true;
      warn(`${source.name} looks binary (it has NUL bytes), not like a log; reading it anyway`);
    }
    const last = chunk.lastIndexOf(0x0a);
    if (last < 0) {
      carry.push(chunk);
      carried += chunk.length;
      if (carried < MAX_LINE) continue;
      if (!warnedLong) {
        warnedLong = true;
        warn(`${source.name} has a line longer than ${MAX_LINE >> 20} MiB; it is read in pieces of that size`);
      }
      carry.push(Buffer.from("\n"));
      yield Buffer.concat(carry);
      carry = [];
      carried = 0;
      continue;
    }
    const head = chunk.subarray(0, last + 1);
    if (carried) {
      carry.push(head);
      yield Buffer.concat(carry, carried + head.length);
    } else yield head;
    carry = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
    carried = chunk.length - last - 1;
  }
  if (carried) yield Buffer.concat(carry);
}

/** Lines as raw bytes, without their terminator. */
export async function* lines(source: Source, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const block of lineBlocks(source, onBytes)) {
    let start = 0;
    for (;;) {
      const nl = block.indexOf(0x0a, start);
      if (nl < 0) {
        if (start < block.length) yield trimCr(block.subarray(start));
        break;
      }
      yield trimCr(block.subarray(start, nl));
      start = nl + 1;
    }
  }
}

/** How many lines `lines` yields. */
export async function countLines(source: Source): Promise<number> {
  let n = 0;
  for await (const block of lineBlocks(source)) {
    for (let at = block.indexOf(0x0a); at >= 0; at = block.indexOf(0x0a, at + 1)) n++;
    if (block.length && block[block.length - 1] !== 0x0a) n++;
  }
  return n;
}

/** A line of spaces and tabs only (or none): no NDJSON record, so skipped. */
export function isBlank(line: Uint8Array): boolean {
  return line.every((b) => b === 0x20 || b === 0x09);
}

function trimCr(line: Buffer): Buffer {
  return line.length && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}

/** CSV rows, read as Python's csv module reads them. */
export async function* csvRows(source: Source, onBytes?: (n: number) => void): AsyncGenerator<string[]> {
  const reader = new CsvReader();
  const decoder = new TextDecoder();
  for await (const chunk of source.open()) {
    onBytes?.(chunk.length);
    yield* reader.push(decoder.decode(chunk, { stream: true }));
  }
  yield* reader.push(decoder.decode());
  yield* reader.end();
}

/** A value at a dotted path in a parsed JSON object, or undefined. */
export function atPath(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The message the module scores: the first of the fields that holds a string (as assembly/abi/filter.ts findMessage). */
export function messageOf(record: unknown, fields: string[]): string | undefined {
  for (const f of fields) {
    const v = atPath(record, f);
    if (typeof v === "string") return v;
  }
  return undefined;
}

/**
 * A source's records as Fluent Bit would hand them to the filter: a plain line becomes
 * {"log": line}; an NDJSON line goes as it is (blank ones are skipped); a CSV row becomes an object
 * by the header row (without one, columns named 1, 2, ...). With each, its line or row number.
 */
export async function* records(source: Source, format: Format, header: boolean, onBytes?: (n: number) => void): AsyncGenerator<{ record: string | Uint8Array; line: number }> {
  let line = 0;
  if (format === "csv") {
    let names: string[] | null = null;
    for await (const row of csvRows(source, onBytes)) {
      line++;
      if (header && !names) {
        names = row;
        continue;
      }
      yield { record: fluentBitRecord(row.map((v, i) => [names?.[i] ?? String(i + 1), v])), line };
    }
    return;
  }
  const decoder = new TextDecoder();
  for await (const bytes of lines(source, onBytes)) {
    line++;
    if (format === "ndjson") {
      if (isBlank(bytes)) continue;
      yield { record: bytes, line };
    } else yield { record: fluentBitRecord([["log", decoder.decode(bytes)]]), line };
  }
}
