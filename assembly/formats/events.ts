// The event-format contract: what the filter (abi/filter.ts) needs of a format to read a record,
// find its message and write it on. json.ts's JsonEvents and msgpack.ts's MsgpackEvents implement
// it; the filter's flow is generic over it, so it is compiled once per format and every call is a
// direct one (no dispatch per call). Spans are base/span.ts's: start and length in one u64.
export interface Events {
  /** Whether the shipper skips a record on an empty result, so drop mode may drop one. */
  canDrop(): bool;
  /** Validates the record and records its top-level members (members.ts); false: failure() says why. */
  read(record: usize, length: usize): bool;
  failure(): string;
  /** Member i's key as UTF-8 (in place where it can be); NO_SPAN when it has none. */
  keyText(i: i32): u64;
  /** In the value `value`, an object/map, the value of the last member named [name, name + length); NO_SPAN when none. */
  findIn(value: u64, name: usize, length: i32): u64;
  /** The value `value` as UTF-8 text when it is a string (in place unless it has escapes; `plain`: known to have none); NO_SPAN when not. */
  text(value: u64, plain: bool): u64;
  /** An own key's form as written before its value, at `at`; its length. */
  keyForm(at: usize, name: usize, length: i32): i32;
  /** The bytes of a key's form that the record's first member goes without (a separator). */
  separatorBytes(): i32;
  /** Begins the record that goes on, of `members` members. */
  open(members: i32): void;
  close(): void;
  /** The members read and not flagged in `skipped` (a byte each), as they were. */
  writeMembers(skipped: usize): void;
  /** A bool's form, at `at`; its length (OwnKeys writes each own bool field's key and value as one). */
  boolForm(at: usize, value: bool): i32;
  /** A number at `at` (output.ts's NUMBER_ROOM + 1 reserved); the position after it. `decimals` > 0 when the value is known to have at most that many. */
  writeNumber(at: usize, value: f64, decimals: i32): usize;
  /** UTF-8 text, as a string. */
  writeText(p: usize, length: usize): void;
  /** A record that cannot go on as itself, in a form the format can carry. */
  writeCarried(record: usize, length: usize): void;
  /** Whether the members not flagged in `skipped` and `added` more can be written as they are. */
  canCarry(skipped: usize, added: i32): bool;
}

/**
 * What a format's reader keeps while it reads: where the text ends, and why it failed. A scan
 * takes the position it starts at and returns the one after what it read, or FAILED (failure()
 * then says why): no record lies at address 0.
 */
export class Reader {
  /** A static string, so setting it allocates nothing. */
  protected why: string = "";
  protected end: usize = 0;

  @inline failure(): string {
    return this.why;
  }

  protected fail(why: string): usize {
    this.why = why;
    return FAILED;
  }
}

export const FAILED: usize = 0;
