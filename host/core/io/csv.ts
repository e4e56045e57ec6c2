// CSV read as Python's csv module reads it (default dialect, non-strict), since the original
// Tarkin reads its input with it: quoted fields may span lines, "" is a quote, and a malformed
// quote is recovered from the way Python recovers (a quote closing early, what follows kept
// literally) rather than rejected. Streaming: feed chunks, rows come out as they complete.

const enum State {
  StartRecord,
  StartField,
  InField,
  InQuotedField,
  QuoteInQuotedField,
  EatCrnl,
}

export class CsvReader {
  private state = State.StartRecord;
  private field = "";
  private row: string[] = [];

  /** Feeds text; returns the rows it completed. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    for (const c of text) {
      this.step(c, rows);
    }
    return rows;
  }

  /** Ends the input; returns the last row if one was open. */
  end(): string[][] {
    const rows: string[][] = [];
    if (this.state !== State.StartRecord && this.state !== State.EatCrnl) this.endRecord(rows);
    else if (this.row.length) this.endRecord(rows);
    this.state = State.StartRecord;
    return rows;
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = "";
  }

  private endRecord(rows: string[][]): void {
    this.endField();
    rows.push(this.row);
    this.row = [];
  }

  private step(c: string, rows: string[][]): void {
    const newline = c === "\n" || c === "\r";
    switch (this.state) {
      case State.StartRecord:
        if (newline) {
          this.state = c === "\r" ? State.EatCrnl : State.StartRecord;
          return;
        }
        this.state = State.StartField;
      // falls through
      case State.StartField:
        if (newline) {
          this.endRecord(rows);
          this.state = c === "\r" ? State.EatCrnl : State.StartRecord;
        } else if (c === '"') this.state = State.InQuotedField;
        else if (c === ",") this.endField();
        else {
          this.field += c;
          this.state = State.InField;
        }
        return;
      case State.InField:
        if (newline) {
          this.endRecord(rows);
          this.state = c === "\r" ? State.EatCrnl : State.StartRecord;
        } else if (c === ",") {
          this.endField();
          this.state = State.StartField;
        } else this.field += c;
        return;
      case State.InQuotedField:
        if (c === '"') this.state = State.QuoteInQuotedField;
        else this.field += c;
        return;
      case State.QuoteInQuotedField:
        if (c === '"') {
          this.field += '"';
          this.state = State.InQuotedField;
        } else if (c === ",") {
          this.endField();
          this.state = State.StartField;
        } else if (newline) {
          this.endRecord(rows);
          this.state = c === "\r" ? State.EatCrnl : State.StartRecord;
        } else {
          this.field += c;
          this.state = State.InField;
        }
        return;
      case State.EatCrnl:
        if (c === "\n") {
          this.state = State.StartRecord;
          return;
        }
        this.state = State.StartRecord;
        this.step(c, rows);
        return;
    }
  }
}

export function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
}
