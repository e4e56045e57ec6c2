import { sentimentText } from "../../sentiment/text";

/** The text the sentiment reads of `message`, as a string. */
function textOf(message: string): string {
  const bytes = String.UTF8.encode(message);
  const start = changetype<usize>(bytes);
  const end = start + <usize>bytes.byteLength;
  return String.UTF8.decodeUnsafe(sentimentText(start, end), end - start);
}

/** `message` with every character blanked but those of `kept`, each found after the last. */
function keeping(message: string, kept: string[]): string {
  let out = "";
  let at = 0;
  for (let i = 0; i < kept.length; i++) {
    const found = message.indexOf(kept[i], at);
    out += " ".repeat(found - at) + kept[i];
    at = found + kept[i].length;
  }
  return out + " ".repeat(message.length - at);
}

describe("the text the sentiment reads", () => {
  it("is the message itself, but for a JSON object", () => {
    expect(textOf("Failed password for root")).toBe("Failed password for root");
    expect(textOf("{main} failed to start")).toBe("{main} failed to start");
  });

  it("of a JSON object: its string values where they lie, keys, punctuation and numbers blanked", () => {
    const compact = '{"msg":"login failed","user":"bob","status":401}';
    expect(textOf(compact)).toBe(keeping(compact, ["login failed", "bob"]));
    const spaced = '{ "msg": "bad \\"token\\"", "ok": true }';
    expect(textOf(spaced)).toBe(keeping(spaced, ['bad \\"token\\"']));
    const nested = '{"error":{"reason":"denied"}}';
    expect(textOf(nested)).toBe(keeping(nested, ["denied"]));
  });

  it("of a truncated JSON object: what it holds", () => {
    expect(textOf('{"msg":"login fai')).toBe(keeping('{"msg":"login fai', ["login fai"]));
    expect(textOf('{"msg":"x\\')).toBe(keeping('{"msg":"x\\', ["x\\"]));
  });
});
