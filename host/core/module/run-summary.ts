// What a run of logs through the module (check, report) ends with: the filter's counters as a line
// and as JSON, and the limits on them past which the run fails (exit 1), so that a rollout gate
// (`tarkin check sample.log --wasm tarkin.wasm > /dev/null`) fails a module that cannot read the log.
import { writeFileSync } from "node:fs";
import { CliError, UsageError } from "../errors.js";
import { FILTER_COUNTERS, type FilterCounter, type FilterStats } from "./harness.js";

/** A counter the run is judged on: over its limit (--max-<counter>), the run fails. */
export interface CounterLimit {
  counter: FilterCounter;
  /** What the counter counts, for --help and the failure. */
  means: string;
  /** The limit when the option is not given. */
  default: string;
}

/** The counters a run is judged on; a counter the module gains that should fail a run is one more line here. */
export const COUNTER_LIMITS: CounterLimit[] = [
  { counter: "errors", means: "records the module could not read", default: "0" },
  { counter: "uncovered", means: "records of a log the model does not know: under half their fields seen in training", default: "50%" },
];

export function limitOption(limit: { counter: FilterCounter }): string {
  return `--max-${limit.counter}`;
}

export function limitHelp(limit: CounterLimit): string {
  return `the most ${limit.counter} allowed (${limit.means}): a count, or a share of the records in such as 0.5%; more fail the run (exit 1)`;
}

/** A limit as given: a count, or a percentage of the records in. */
export interface Limit {
  counter: FilterCounter;
  /** As given, e.g. "0" or "0.5%". */
  given: string;
  count?: number;
  percent?: number;
}

export function parseLimit(limit: CounterLimit, value: string): Limit {
  const text = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent && Number(percent[1]) <= 100) return { counter: limit.counter, given: text, percent: Number(percent[1]) };
  if (/^\d+$/.test(text)) return { counter: limit.counter, given: text, count: Number(text) };
  throw new UsageError(`${limitOption(limit)} must be a whole number or a percentage from 0% to 100% of the records in (such as 0.5%), not ${JSON.stringify(value)}`);
}

/** The first record a counter counted, and what the module said of it. */
export interface FirstRecord {
  source: string;
  line: number;
  /** The module's <prefix>_error, when the record came out. */
  error?: string;
}

export interface LimitResult {
  counter: FilterCounter;
  option: string;
  /** The limit as given. */
  max: string;
  /** The most records it allows in this run. */
  allowed: number;
  count: number;
  passed: boolean;
}

/** The summary, as --summary-json writes it. */
export interface RunSummary {
  command: string;
  counters: FilterStats;
  /** Records the module trapped on or returned nothing for: any fails the run. */
  lost: number;
  limits: LimitResult[];
  firstError?: FirstRecord;
  passed: boolean;
}

export function judge(command: string, counters: FilterStats, lost: number, limits: Limit[], firstError?: FirstRecord): RunSummary {
  const results = limits.map((l): LimitResult => {
    // The share is rounded down to whole records, and to 12 digits first so that 0.3% of 1000 allows 3.
    const allowed = l.count ?? Math.floor(Number(((l.percent! * counters.recordsIn) / 100).toPrecision(12)));
    const count = counters[l.counter];
    return { counter: l.counter, option: limitOption(l), max: l.given, allowed, count, passed: count <= allowed };
  });
  return { command, counters, lost, limits: results, ...(firstError ? { firstError } : {}), passed: lost === 0 && results.every((r) => r.passed) };
}

/** The counters as the line on stderr says them: "2000 records in, 2000 out, ..., 0 errors". */
export function countersLine(counters: FilterStats, leaveOut: FilterCounter[] = []): string {
  return FILTER_COUNTERS.filter((c) => !leaveOut.includes(c.name)).map((c) => `${counters[c.name]} ${c.words}`).join(", ");
}

/** --summary-json: the summary as one JSON object in a file, written whether or not the run passed. */
export function writeSummaryJson(file: string, summary: RunSummary): void {
  const json = JSON.stringify(summary) + "\n";
  // Written to the descriptor: opening /dev/stderr fails (ENXIO) when it is a socket, as under many supervisors.
  if (file === "/dev/stderr") {
    process.stderr.write(json);
    return;
  }
  try {
    writeFileSync(file, json);
  } catch (e) {
    throw new CliError(`cannot write the summary to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Why the run failed, in one line, or null when it passed. */
export function failure(summary: RunSummary): string | null {
  if (summary.lost) return `${summary.lost} records were lost: the module trapped or returned no string`;
  const over = summary.limits.find((l) => !l.passed);
  if (!over) return null;
  const means = COUNTER_LIMITS.find((l) => l.counter === over.counter)!.means;
  const first = over.counter === "errors" ? summary.firstError : undefined;
  const where = first ? `; the first, ${first.source}:${first.line}${first.error ? `: ${first.error}` : ""}` : "";
  return `${over.count} of ${summary.counters.recordsIn} records are ${over.counter} (${means}), more than ${over.option} ${over.max} allows${where}`;
}
