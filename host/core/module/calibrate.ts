// Placing the decision without labels: the packed module scores a log of normal traffic it was not
// trained on (a held-out part of the day, or the next day's), and the fear an anomaly must reach
// (the min fear setting) is raised until at most a stated share of those lines is flagged. What is
// new in that log (pages, parameters, users) is the drift the threshold then allows for. Counts
// stay exact in the model, so merge is untouched: calibration is a step of pack's, after it.
import { CliError } from "../errors.js";
import { lines, sources, type Source } from "../io/input.js";
import { Progress } from "../io/progress.js";
import { ModuleDriver } from "./driver.js";

export interface Calibration {
  /** Lines scored. */
  lines: number;
  /** The share of them the operator allows to be flagged. */
  falseAlarms: number;
  /** Flagged at the packed min fear, and at the calibrated one. */
  flaggedBefore: number;
  flagged: number;
  /** The packed min fear, and the calibrated one (the same where the share is already met). */
  minFearBefore: number;
  minFear: number;
}

/** Min fear's precision: what pack prints and the settings carry. */
const STEP = 1e-4;

/**
 * The least min fear, to STEP, at which at most `falseAlarms` of `total` lines stay flagged, given
 * the fears of the lines flagged at `floor` (each stays flagged exactly while its fear reaches it).
 */
export function minFearFor(fears: readonly number[], total: number, falseAlarms: number, floor: number): number {
  const allowed = Math.floor(falseAlarms * total);
  if (fears.length <= allowed) return floor;
  const highestUnflagged = [...fears].sort((a, b) => b - a)[allowed];
  // The next step above it, counted in whole steps: a step's multiple in binary is not exact.
  const minFear = (Math.floor(highestUnflagged / STEP + 1e-6) + 1) * STEP;
  return Math.min(1, Math.max(floor, Number(minFear.toFixed(4))));
}

/** Scores every line of `logs` with the packed `module` and places its min fear for `falseAlarms` (a share, 0 to 1). */
export async function calibrate(module: Uint8Array, logs: Source[], falseAlarms: number, minFearBefore: number, advance?: (bytes: number) => void): Promise<Calibration> {
  const driver = ModuleDriver.fromBytes(module);
  const fears: number[] = [];
  let total = 0;
  for (const source of logs) {
    for await (const line of lines(source, advance)) {
      const score = driver.score(line);
      if (score.anomaly) fears.push(score.fear);
      total++;
    }
  }
  const minFear = minFearFor(fears, total, falseAlarms, minFearBefore);
  return { lines: total, falseAlarms, flaggedBefore: fears.length, flagged: fears.filter((f) => f >= minFear).length, minFearBefore, minFear };
}

/** One line for the operator: what was scored, the share asked for, and the min fear placed. */
export function describeCalibration(c: Calibration): string {
  const share = (n: number) => `${n} (${c.lines ? ((100 * n) / c.lines).toFixed(2) : "0.00"}%)`;
  const placed = c.minFear === c.minFearBefore ? `min fear stays ${c.minFear}` : `min fear ${c.minFearBefore} -> ${c.minFear}`;
  return `calibrated on ${c.lines} lines for at most ${+(100 * c.falseAlarms).toFixed(4)}% false alarms: ${placed}; flagged ${share(c.flaggedBefore)} -> ${share(c.flagged)}`;
}

/** calibrate over the files named, with a progress bar; no lines to score is an error. */
export async function calibrated(wasm: Uint8Array, files: string[], falseAlarms: number, minFear: number): Promise<Calibration> {
  const logs = sources(files);
  const progress = Progress.over("calibrating", logs);
  try {
    const calibration = await calibrate(wasm, logs, falseAlarms, minFear, progress?.advance);
    if (calibration.lines === 0) throw new CliError(`--calibrate ${files.join(" ")}: no lines to calibrate on`);
    return calibration;
  } finally {
    progress?.stop();
  }
}
