import { Alarms, ALARM_LINES, SECOND_LINES } from "../../decision/alarms";

describe("the processes of recent alarms", () => {
  it("carry an alarm and its fear along its process's next ALARM_LINES lines, no other's", () => {
    const alarms = new Alarms();
    expect(alarms.takeLine(0x2459)).toBe(0);
    alarms.open(0x2459, 0.8);
    expect(alarms.takeLine(0x2458)).toBe(0);
    expect(alarms.takeLine(0)).toBe(0);
    for (let i: u32 = 0; i < ALARM_LINES; i++) expect(alarms.takeLine(0x2459)).toBe(0.8);
    expect(alarms.takeLine(0x2459)).toBe(0);
    // A new alarm on it carries again, its own fear.
    alarms.open(0x2459, 0.6);
    expect(alarms.takeLine(0x2459)).toBe(0.6);
  });

  it("keep a newer alarm where two processes share a slot", () => {
    const alarms = new Alarms();
    alarms.open(0x1001, 0.7);
    alarms.open(0x2001, 0.9); // the same slot (the hash's high bits)
    expect(alarms.takeLine(0x1001)).toBe(0);
    expect(alarms.takeLine(0x2001)).toBe(0.9);
  });

  it("carry the last alarm's second to the next SECOND_LINES lines of its header, while no other comes between", () => {
    const alarms = new Alarms();
    expect(alarms.secondOpen()).toBe(false);
    alarms.openSecond(0x77, 0.8, 0);
    expect(alarms.takeSecondLine(0x77)).toBe(0.8);
    expect(alarms.takeSecondLine(0x78)).toBe(0); // another second, or host: closed
    expect(alarms.secondOpen()).toBe(false);
    expect(alarms.takeSecondLine(0x77)).toBe(0);
    alarms.openSecond(0x77, 0.6, 0);
    for (let i: u32 = 0; i < SECOND_LINES; i++) expect(alarms.takeSecondLine(0x77)).toBe(0.6);
    expect(alarms.secondOpen()).toBe(false);
    // A record of no header opens none.
    alarms.openSecond(0, 0.9, 0);
    expect(alarms.secondOpen()).toBe(false);
  });
});
