// The harness: drives a packed module through Fluent Bit's wasm filter ABI exactly as Fluent Bit
// does (flb_wasm.c): copy the tag and the record into the module with its malloc (the tag followed
// by a NUL; the JSON record too, the msgpack one not), passing lengths without the NUL; call the
// filter; copy the returned NUL-terminated string out (strdup); free both inputs. One instance for
// the whole run, so the module's state carries from record to record as it does in a pipeline.
import { STATS_IN, STATS_OUT, STATS_INFREQUENT, STATS_ANOMALOUS, STATS_ERRORS, STATS_UNCOVERED, STATS } from "./layouts.js";
import * as layouts from "./layouts.js";

export class HarnessError extends Error {}

type FilterFunction = (tag: number, tagLength: number, sec: number, nsec: number, record: number, recordLength: number) => number;

interface FilterExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  filter_stats(): number;
}

export type EventFormat = "json" | "msgpack";

/** An event's timestamp as the filter receives it: seconds and the nanoseconds past them. */
export interface EventTime {
  sec: number;
  nsec: number;
}

/** Now, as Fluent Bit stamps an event it reads. */
export function eventTime(): EventTime {
  const ms = Date.now();
  return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 };
}

/**
 * The filter's counters (filter_stats(), layouts.ts STATS_), by name, each with the words a
 * summary says it in; a counter the module gains is one more line here.
 */
export const FILTER_COUNTERS = [
  { name: "recordsIn", offset: STATS_IN, words: "records in" },
  { name: "recordsOut", offset: STATS_OUT, words: "out" },
  { name: "infrequent", offset: STATS_INFREQUENT, words: "infrequent" },
  { name: "anomalous", offset: STATS_ANOMALOUS, words: "anomalous" },
  { name: "errors", offset: STATS_ERRORS, words: "errors" },
  { name: "uncovered", offset: STATS_UNCOVERED, words: "not covered" },
] as const;

export type FilterCounter = (typeof FILTER_COUNTERS)[number]["name"];

export type FilterStats = Record<FilterCounter, number>;

/** filter_stats()'s counters: [name, offset] for each STATS_ name of the layout. */
const COUNTERS = (Object.entries(layouts) as [string, number | string][])
  .filter((entry): entry is [string, number] => entry[0].startsWith("STATS_") && typeof entry[1] === "number")
  .map(([name, offset]) => [name.slice("STATS_".length).toLowerCase(), offset] as const);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Put = (memory: Uint8Array, at: number) => void;
type Read<T> = (memory: Uint8Array, start: number, end: number) => T;

/** Writes bytes into the module, with a NUL after them when `nul`. */
function putBytes(record: Uint8Array, nul: boolean): Put {
  return (memory, at) => {
    memory.set(record, at);
    if (nul) memory[at + record.length] = 0;
  };
}
const readBytes: Read<Uint8Array> = (memory, start, end) => memory.slice(start, end);
const readText: Read<string> = (memory, start, end) => decoder.decode(memory.subarray(start, end));

export class FluentBitFilter {
  private readonly x: FilterExports;
  /** All the module's exports, for tests and measurements beyond the ABI. */
  readonly exports: WebAssembly.Exports;
  private readonly call: FilterFunction;
  // The tag last seen, encoded once; views of the module's memory, made again only when it has
  // grown (the old ones are then detached, of length 0): a Uint8Array to copy in and out, and a
  // Buffer over the same bytes to find the result's NUL (its indexOf is memchr, several times
  // faster than a Uint8Array's).
  private tag = "";
  private tagBytes = new Uint8Array(0);
  private bytes = new Uint8Array(0);
  private view = Buffer.alloc(0);

  /** The module as Fluent Bit's wasm filter would load it with this event_format. */
  constructor(wasm: Uint8Array, readonly eventFormat: EventFormat = "json") {
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource), {});
    } catch (e) {
      throw new HarnessError(`not a usable WebAssembly module: ${(e as Error).message}`);
    }
    const x = instance.exports as Record<string, unknown>;
    const functionName = eventFormat === "json" ? "tarkin_filter" : "tarkin_filter_msgpack";
    for (const name of ["memory", "malloc", "free", "filter_stats", functionName]) {
      if (!(name in x)) throw new HarnessError(`not a tarkin filter module: it exports no ${name}`);
    }
    this.x = x as unknown as FilterExports;
    this.exports = instance.exports;
    this.call = x[functionName] as FilterFunction;
  }

  /**
   * Fluent Bit's steps for one record: the tag in with its NUL (wasm_runtime_module_dup_data: the
   * module's malloc, then a copy), `size` bytes for the record written by `put`, the call with the
   * record's `length`, the NUL-terminated result read by `read` (strdup), both inputs freed. null
   * when Fluent Bit would lose the record: a trap, or a result with no NUL before the end of memory.
   */
  private run<T>(
    tag: string,
    time: EventTime,
    size: number,
    length: number,
    put: Put,
    read: Read<T>,
  ): T | null {
    if (tag !== this.tag) {
      this.tag = tag;
      this.tagBytes = encoder.encode(tag);
    }
    const tagBytes = this.tagBytes;
    const tagAt = this.x.malloc(tagBytes.length + 1);
    if (tagAt) {
      const memory = this.memory();
      memory.set(tagBytes, tagAt);
      memory[tagAt + tagBytes.length] = 0;
    }
    const recordAt = this.x.malloc(size);
    if (recordAt) put(this.memory(), recordAt);
    try {
      const result = this.call(tagAt, tagBytes.length, time.sec >>> 0, time.nsec >>> 0, recordAt, length) >>> 0;
      const memory = this.memory();
      const nul = this.view.indexOf(0, result);
      return nul < 0 ? null : read(memory, result, nul);
    } catch {
      return null;
    } finally {
      if (tagAt) this.x.free(tagAt);
      if (recordAt) this.x.free(recordAt);
    }
  }

  /** The views of the module's memory, made again if it has grown. */
  private memory(): Uint8Array {
    if (this.bytes.length === 0) {
      this.bytes = new Uint8Array(this.x.memory.buffer);
      this.view = Buffer.from(this.x.memory.buffer);
    }
    return this.bytes;
  }

  /** One record through the filter: the bytes that go on, empty when the filter drops it, null when lost. */
  filterBytes(record: Uint8Array, tag = "tarkin", time: EventTime = { sec: 0, nsec: 0 }): Uint8Array | null {
    // The JSON record comes with a NUL after it; the msgpack one without.
    const nul = this.eventFormat === "json";
    return this.run(tag, time, record.length + (nul ? 1 : 0), record.length, putBytes(record, nul), readBytes);
  }

  /**
   * A JSON record through the filter (event_format json): the text that goes on, "" to drop, null
   * when lost; encoded straight into the module's memory and decoded straight out of it.
   */
  filter(record: string | Uint8Array, tag = "tarkin", time: EventTime = { sec: 0, nsec: 0 }): string | null {
    if (this.eventFormat !== "json") {
      const out = this.filterBytes(typeof record === "string" ? encoder.encode(record) : record, tag, time);
      return out === null ? null : decoder.decode(out);
    }
    if (typeof record !== "string") return this.run(tag, time, record.length + 1, record.length, putBytes(record, true), readText);
    const length = Buffer.byteLength(record);
    const put: Put = (memory, at) => {
      encoder.encodeInto(record, memory.subarray(at, at + length));
      memory[at + length] = 0;
    };
    return this.run(tag, time, length + 1, length, put, readText);
  }

  stats(): FilterStats {
    const view = new DataView(this.x.memory.buffer, this.x.filter_stats(), STATS);
    return Object.fromEntries(FILTER_COUNTERS.map((c) => [c.name, view.getFloat64(c.offset, true)])) as FilterStats;
  }

  /** One counter, read alone (cheap enough to read after every record). */
  counter(name: FilterCounter): number {
    const offset = FILTER_COUNTERS.find((c) => c.name === name)!.offset;
    return new DataView(this.x.memory.buffer, this.x.filter_stats(), STATS).getFloat64(offset, true);
  }

  /**
   * Every counter of filter_stats() by its layout name less STATS_, in lower case (in, out,
   * infrequent, ...): read by the names the layout has, so a counter it gains appears here unasked.
   */
  counters(): Record<string, number> {
    const view = new DataView(this.x.memory.buffer, this.x.filter_stats(), STATS);
    return Object.fromEntries(COUNTERS.map(([name, offset]) => [name, view.getFloat64(offset, true)]));
  }

  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }
}

/**
 * A string as JSON the way Fluent Bit writes records for the filter by default (json.escape_unicode
 * on): every non-ASCII character as \uXXXX, astral ones as surrogate pairs.
 */
export function fluentBitJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += text[i];
  }
  return out + '"';
}

/** An object of string values as Fluent Bit would hand it to the filter. */
export function fluentBitRecord(fields: [string, string][]): string {
  return "{" + fields.map(([k, v]) => `${fluentBitJsonString(k)}:${fluentBitJsonString(v)}`).join(",") + "}";
}
