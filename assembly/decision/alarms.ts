// The processes of recent alarms, and the second of the last. A syslog record very unusual in its
// fields opens an alarm on its process (fields.ts FieldReading.process: sshd[2459], of a program
// that runs one a session), and the process's next ALARM_LINES lines are the alarm's too: an
// analyst reads the session of a root login from a new network, opened and closed, not its one
// line. Such a record opens an alarm on its second as well: the next SECOND_LINES lines of its
// header (its time to the second and its host) are the alarm's, while nothing else comes between
// (logind's "New session 236 of user root."). A long-lived process (a daemon's) opens neither; a
// program that logs no process id (sudo) gives no session to follow, only its subject: it opens a
// second of its own lines that name the alarm's subject (sudo's "session opened for user root by
// alice" after alice's alarming COMMAND=/bin/bash, not carol's command of the same second). State
// across records, as the gate's: one instance a pipeline.
import { allocate } from "../base/buffers";

// Slots chosen by the process's hash (its high bits), 16 bytes each (the hash, its lines left, the
// alarm's fear): a newer alarm takes an older one's slot, so the table never grows.
const SLOT_BITS: u32 = 6;
const ALARM_SLOTS: u32 = 1 << SLOT_BITS;
const SLOT_BYTES: usize = 16;
/** How many lines of a process after its alarm are the alarm's (a session's: opened, closed, disconnected). */
export const ALARM_LINES: u32 = 8;
/** How many lines of the same second and host after an alarm are the alarm's (what one login writes at once). */
export const SECOND_LINES: u32 = 4;

export class Alarms {
  private readonly at: usize = allocate(<usize>ALARM_SLOTS * SLOT_BYTES);

  // The last alarm's second: its header's key, the lines left, its fear.
  private secondKey: u32 = 0;
  private secondLines: u32 = 0;
  private secondFear: f64 = 0;
  /** The subject a line of the second must name (a program of no process id: sudo's user), else 0: any. */
  secondSubject: u32 = 0;

  constructor() {
    memory.fill(this.at, 0, <usize>ALARM_SLOTS * SLOT_BYTES);
  }

  // @ts-ignore: decorator
  @inline private slotOf(process: u32): usize {
    return this.at + <usize>(process >> (32 - SLOT_BITS)) * SLOT_BYTES;
  }

  /** An alarm of `fear` on `process` (a hash, not 0): its next ALARM_LINES lines are the alarm's. */
  open(process: u32, fear: f64): void {
    const slot = this.slotOf(process);
    store<u32>(slot, process);
    store<u32>(slot, ALARM_LINES, 4);
    store<f64>(slot, fear, 8);
  }

  /** An alarm of `fear` on the second of a header whose key is `key` (0: none, which no line's is), of lines that name `subject` (0: any). */
  openSecond(key: u32, fear: f64, subject: u32): void {
    this.secondKey = key;
    this.secondLines = key != 0 ? SECOND_LINES : 0;
    this.secondFear = fear;
    this.secondSubject = subject;
  }

  /** Whether the last alarm's second may still take a line: its header's key is then worth working out. */
  secondOpen(): bool {
    return this.secondLines != 0;
  }

  /** The fear of the alarm whose second a line of header key `key` (0: none) is, and it counts as one of them; 0 where it is none's, which closes the second. */
  takeSecondLine(key: u32): f64 {
    if (key != this.secondKey || this.secondLines == 0) {
      this.secondLines = 0;
      return 0;
    }
    this.secondLines--;
    return this.secondFear;
  }

  /** The fear of the alarm whose line a line of `process` (a hash, 0: none) is, and it counts as one of them; 0 where it is none's. */
  takeLine(process: u32): f64 {
    const slot = this.slotOf(process);
    if (process == 0 || load<u32>(slot) != process) return 0;
    const left = load<u32>(slot, 4);
    if (left == 0) return 0;
    store<u32>(slot, left - 1, 4);
    return load<f64>(slot, 8);
  }
}
