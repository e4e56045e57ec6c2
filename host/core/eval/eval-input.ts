// The records `tarkin eval` scores, with their labels, streamed and not kept: labelled by their first
// field (bgl), by the sample generator's attack templates (sample), or by the lines of a labels file
// read alongside them.
import { basename } from "node:path";
import { CliError } from "../errors.js";
import { countLines, lines, rereadable, sources, type Source } from "../io/input.js";
import { parseLabel, SAMPLE_ATTACK_PATTERN, splitFirstField } from "./eval.js";

export interface LabelledRecord {
  message: string;
  label: boolean | null;
}

export class LabelledRecords {
  private inputs: Source[];
  private readonly labelsFile: Source | null;
  /** Records per source in the last read, for the error messages and the summary. */
  counts: [string, number][] = [];

  /** `labels`: bgl, sample, a labels file or none. A missing labels file fails before the logs are read. */
  constructor(files: string[], private readonly labels: string | undefined) {
    this.labelsFile = labels && labels !== "bgl" && labels !== "sample" ? sources([labels])[0] : null;
    this.inputs = sources(files);
  }

  /** The records in the last read. */
  get records(): number {
    return this.counts.reduce((n, [, k]) => n + k, 0);
  }

  /** The files read, for a progress bar over them. */
  get files(): Source[] {
    return this.inputs;
  }

  /** Makes the records readable more than once: standard input is kept in a temporary file, which the returned function removes. */
  async keepStdin(): Promise<() => void> {
    const kept = await rereadable(this.inputs);
    this.inputs = kept.inputs;
    return kept.remove;
  }

  /** The number of records, counted without reading them as text. */
  async count(): Promise<number> {
    let n = 0;
    for (const source of this.inputs) n += await countLines(source);
    return n;
  }

  /** Every record with its label; `withLabels` false reads the messages alone (a labels file is not opened). */
  async *read(onBytes?: (n: number) => void, withLabels = true): AsyncGenerator<LabelledRecord> {
    const decoder = new TextDecoder();
    const file = withLabels && this.labelsFile ? new LabelsFile(this.labelsFile) : null;
    this.counts = [];
    try {
      for (const source of this.inputs) {
        let n = 0;
        for await (const bytes of lines(source, onBytes)) {
          n++;
          const line = decoder.decode(bytes);
          if (this.labels === "bgl") {
            const split = splitFirstField(line);
            if (!split) throw new CliError(`${source.name}:${n}: no label field (--labels bgl: the first field, up to the first space, is the label)`);
            yield { message: split.message, label: parseLabel(split.label)! };
          } else if (this.labels === "sample") yield { message: line, label: SAMPLE_ATTACK_PATTERN.test(line) };
          else if (!file) yield { message: line, label: null };
          else {
            // Past the labels file's end the records are only counted, for the error below.
            const label = await file.next();
            if (label !== undefined) yield { message: line, label };
          }
        }
        this.counts.push([source.name, n]);
      }
      if (file) await file.expect(this.counts);
    } finally {
      await file?.close();
    }
  }
}

/** A labels file, one label a line, read alongside the records. */
class LabelsFile {
  private readonly lines: AsyncIterator<Buffer>;
  private readonly decoder = new TextDecoder();
  private count = 0;

  constructor(private readonly source: Source) {
    this.lines = lines(source)[Symbol.asyncIterator]();
  }

  /** The next record's label; undefined past the file's end. */
  async next(): Promise<boolean | undefined> {
    const line = await this.lines.next();
    if (line.done) return undefined;
    this.count++;
    const label = parseLabel(this.decoder.decode(line.value));
    if (label === null) throw new CliError(`${this.source.name}:${this.count}: an empty label (expected 0, 1, - or a category)`);
    return label;
  }

  /** Fails unless the file has exactly a label for each record counted. */
  async expect(counts: [string, number][]): Promise<void> {
    while ((await this.next()) !== undefined);
    const records = counts.reduce((n, [, k]) => n + k, 0);
    if (this.count === records) return;
    const where = counts.map(([name, k]) => `${name === "stdin" ? "standard input" : basename(name)} has ${k}`).join(", ");
    throw new CliError(`--labels ${this.source.name}: ${this.count} labels for ${records} records (${where}); one label per line, in order`);
  }

  async close(): Promise<void> {
    await this.lines.return?.();
  }
}
