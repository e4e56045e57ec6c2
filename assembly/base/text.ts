// Short texts the module writes (the filter's error, a scorer's reason): fixed buffers, as they
// are short and made of known pieces, truncated past their capacity.
import { allocate } from "./buffers";

export class ShortText {
  at: usize;
  length: usize = 0;
  constructor(readonly capacity: usize) {
    this.at = allocate(capacity);
  }

  /** Appends ASCII, or names from the settings. */
  ascii(text: string): void {
    for (let i = 0; i < text.length && this.length < this.capacity; i++) store<u8>(this.at + this.length++, <u8>text.charCodeAt(i));
  }

  bytes(p: usize, length: usize): void {
    for (let i: usize = 0; i < length && this.length < this.capacity; i++) store<u8>(this.at + this.length++, load<u8>(p + i));
  }

  /**
   * Appends up to `limit` bytes of text from a message, as text any format can carry: whole UTF-8
   * characters, a control byte or a byte that starts no well-formed character as '?'.
   */
  text(p: usize, length: usize, limit: usize): void {
    const stop = this.length + min(limit, this.capacity - this.length);
    let i: usize = 0;
    while (i < length && this.length < stop) {
      const b = <u32>load<u8>(p + i);
      let n: usize = 1;
      if (b >= 0xc2 && b <= 0xf4) n = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
      let whole = b >= 0x20 && b < 0x7f;
      if (n > 1) {
        whole = i + n <= length && this.length + n <= stop;
        for (let k: usize = 1; k < n && whole; k++) whole = (load<u8>(p + i + k) & 0xc0) == 0x80;
        if (!whole && this.length + n > stop && i + n <= length) break;
      }
      if (whole) {
        memory.copy(this.at + this.length, p + i, n);
        this.length += n;
        i += n;
      } else {
        store<u8>(this.at + this.length++, 0x3f);
        i++;
      }
    }
  }
}
