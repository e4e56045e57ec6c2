// The records of highest fear among many, kept as they stream by: `tarkin report` lists and explains
// them, `tarkin eval --top` prints them.

/** A record's place in the ranking: its fear, and its position in the input for ties. */
export interface Ranked {
  fear: number;
  index: number;
}

/** The N records of highest fear (earlier first among equals), in a min-heap of N. */
export class TopRecords<T extends Ranked> {
  private readonly heap: T[] = [];

  constructor(readonly size: number) {}

  /** Whether a record of this fear, at this index, would enter. */
  wouldEnter(fear: number, index: number): boolean {
    if (this.size <= 0) return false;
    if (this.heap.length < this.size) return true;
    return TopRecords.worse(this.heap[0], { fear, index });
  }

  /** a ranks below b. */
  private static worse(a: Ranked, b: Ranked): boolean {
    return a.fear < b.fear || (a.fear === b.fear && a.index > b.index);
  }

  offer(record: T): void {
    const h = this.heap;
    if (h.length < this.size) {
      h.push(record);
      let i = h.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopRecords.worse(h[i], h[parent])) break;
        [h[i], h[parent]] = [h[parent], h[i]];
        i = parent;
      }
      return;
    }
    if (!TopRecords.worse(h[0], record)) return;
    h[0] = record;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && TopRecords.worse(h[l], h[m])) m = l;
      if (r < h.length && TopRecords.worse(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }

  /** Highest fear first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => b.fear - a.fear || a.index - b.index);
  }
}
