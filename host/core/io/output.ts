// Writing many lines to a stream in large writes, waiting when the stream asks to (backpressure),
// so memory stays flat however much goes out.
import type { Writable } from "node:stream";

export class Output {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable, private readonly batch = 1 << 16) {}

  async line(text: string): Promise<void> {
    this.pending.push(text, "\n");
    this.size += text.length + 1;
    if (this.size >= this.batch) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pending.length) return;
    const ok = this.stream.write(this.pending.join(""));
    this.pending = [];
    this.size = 0;
    if (!ok) await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }

  async end(): Promise<void> {
    await this.flush();
  }
}
