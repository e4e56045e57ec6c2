// The processes of recent alarms. A syslog record very unusual in its fields opens an alarm on its
// process (fields.ts FieldReading.process: sshd[2459], one training never held), and the process's
// next ALARM_LINES lines are the alarm's too: an analyst reads the session of a root login from a
// new network, opened and closed, not its one line. A long-lived process (a daemon's, whose tag
// training held) opens none. State across records, as the gate's: one instance a pipeline.
import { allocate } from "../base/buffers";

// Slots chosen by the process's hash (its high bits), 16 bytes each (the hash, its lines left, the
// alarm's fear): a newer alarm takes an older one's slot, so the table never grows.
const SLOT_BITS: u32 = 6;
const ALARM_SLOTS: u32 = 1 << SLOT_BITS;
const SLOT_BYTES: usize = 16;
/** How many lines of a process after its alarm are the alarm's (a session's: opened, closed, disconnected). */
export const ALARM_LINES: u32 = 8;

export class AlarmedProcesses {
  private readonly at: usize = allocate(<usize>ALARM_SLOTS * SLOT_BYTES);

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

  /** The fear of the alarm whose line a line of `process` (a hash, 0: none) is, and it counts as one of them; 0 where it is none's. */
  follows(process: u32): f64 {
    const slot = this.slotOf(process);
    if (process == 0 || load<u32>(slot) != process) return 0;
    const left = load<u32>(slot, 4);
    if (left == 0) return 0;
    store<u32>(slot, left - 1, 4);
    return load<f64>(slot, 8);
  }
}
