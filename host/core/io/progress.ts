// Progress through large input files on a terminal: a bar on stderr over their bytes. It shows only
// when stderr is a terminal, every input's size is known (files, not a pipe) and they come to 8 MB
// or more (a few seconds' work for check), so scripts and small runs print nothing.
import { SingleBar } from "cli-progress";
import type { Source } from "./input.js";

const MB = 1e6;
const LARGE = 8 * MB;

export class Progress {
  private readonly bar: SingleBar;
  private done = 0;

  private constructor(label: string, private readonly total: number) {
    this.bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% {value}/{total} MB, {eta_formatted} left`,
      formatValue: (v, _o, type) => (type === "value" || type === "total" ? (Number(v) / MB).toFixed(0) : String(v)),
      stream: process.stderr,
      hideCursor: true,
    });
    this.bar.start(total, 0);
  }

  /**
   * A bar over these inputs' bytes, or null where none is shown. `stdoutIsRecords`: the command
   * writes its records to stdout as it goes, so no bar when that is the same terminal.
   */
  static over(label: string, inputs: Source[], o: { stdoutIsRecords?: boolean } = {}): Progress | null {
    if (!process.stderr.isTTY || (o.stdoutIsRecords && process.stdout.isTTY)) return null;
    if (!inputs.every((s) => s.size !== undefined)) return null;
    const total = inputs.reduce((n, s) => n + s.size!, 0);
    return total >= LARGE ? new Progress(label, total) : null;
  }

  /** Counts bytes read (an input's onBytes). */
  readonly advance = (bytes: number): void => {
    this.done += bytes;
    this.bar.update(this.done);
  };

  /** Draws the bar as it ends (100% when every byte was read) and moves to the next line. */
  stop(): void {
    this.bar.update(this.done);
    this.bar.stop();
  }
}
