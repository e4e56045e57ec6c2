import { beginOutput, finishOutput, numberAt, room, written, wrote, writeNumber, NUMBER_ROOM } from "../../formats/output";
import { roundFixed } from "../../sentiment/vader";

/** What writeNumber or numberAt (with decimals) printed, as a string. */
function printed(value: f64, decimals: i32): string {
  beginOutput(64);
  if (decimals > 0) wrote(numberAt(room(NUMBER_ROOM), value, decimals));
  else writeNumber(value);
  return String.UTF8.decodeUnsafe(finishOutput(), written());
}

describe("numbers", () => {
  it("print with the fewest decimals that read back", () => {
    expect(printed(0, 0)).toBe("0");
    expect(printed(-0.0, 0)).toBe("0");
    expect(printed(0.5, 0)).toBe("0.5");
    expect(printed(-0.5461, 0)).toBe("-0.5461");
    expect(printed(0.1 + 0.2, 0)).toBe("0.30000000000000004");
    expect(printed(1.0 / 3.0, 0)).toBe("0.3333333333333333");
    expect(printed(123456, 0)).toBe("123456");
    expect(printed(0.000001, 0)).toBe("0.000001");
    expect(printed(Infinity, 0)).toBe("null");
  });

  it("choose among the shortest the nearest, at the ends of the range and of binades (values from JavaScript's String)", () => {
    expect(printed(Math.pow(2, 49) * (1 + Math.pow(2, -52)), 0)).toBe("562949953421312.1");
    expect(printed(Math.pow(2, -10) * (1 - Math.pow(2, -53)), 0)).toBe("0.0009765624999999999");
    expect(printed(Math.pow(2, -10), 0)).toBe("0.0009765625");
    expect(printed(123456789012345.6, 0)).toBe("123456789012345.6");
    expect(printed(999999999999999.9, 0)).toBe("999999999999999.9");
    expect(printed(0.000001234, 0)).toBe("0.000001234");
    expect(printed(1e-6, 0)).toBe("0.000001");
    expect(printed(5e-7 * 3, 0)).toBe("0.0000015");
    expect(printed(100.0, 0)).toBe("100");
    expect(printed(1e14, 0)).toBe("100000000000000");
    expect(printed(2.0 / 3.0, 0)).toBe("0.6666666666666666");
  });

  it("print every compound score (4 decimals) the same whether known to be rounded or not", () => {
    for (let n = -10000; n <= 10000; n++) {
      const value = roundFixed(<f64>n / 10000.0, 4);
      expect(printed(value, 4)).toBe(printed(value, 0));
    }
  });
});
