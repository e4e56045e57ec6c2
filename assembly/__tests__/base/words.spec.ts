import { clearWords, addWord, mayBeWord, lettersMayBeWord, pieceMayBeWord, piecesMayHoldWord, mayJoinWord, wordsHoldQuote } from "../../base/words";
import { fnv1aStep, FNV_OFFSET } from "../../base/hash";

// Strings as UTF-8 in static memory, with room after them (mayBeWord may load 16 bytes past a start).
const at = memory.data(4096);

function put(text: string): usize {
  const n = String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, at);
  memory.fill(at + n, 0x20, 64);
  return n;
}

function may(text: string): bool {
  const n = put(text);
  return mayBeWord(at, at + n, at + 4096);
}

function piece(text: string): bool {
  const n = put(text);
  return pieceMayBeWord(at, at + n, at + 4096);
}

function pieces(text: string): bool {
  const n = put(text);
  return piecesMayHoldWord(at, at + n, at + 4096);
}

function letters(text: string): bool {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = fnv1aStep(h, <u32>text.charCodeAt(i) | 0x20);
  return lettersMayBeWord(h, text.length);
}

function add(word: string): void {
  const n = put(word);
  addWord(at, <i32>n);
}

function setUp(): void {
  clearWords();
  add("good");
  add("failure");
  add(":)");
  add("h&k");
  add("143");
  add("once-in-a-lifetime");
}

describe("the words of a set", () => {
  it("are found whatever their ASCII case, and other strings are not", () => {
    setUp();
    expect(may("good")).toBe(true);
    expect(may("GOOD")).toBe(true);
    expect(may("Failure")).toBe(true);
    expect(may(":)")).toBe(true);
    expect(may("143")).toBe(true);
    expect(may("once-in-a-lifetime")).toBe(true);
    expect(may("goods")).toBe(false);
    expect(may("goo")).toBe(false);
    expect(may("food")).toBe(false);
    expect(may("144")).toBe(false);
    expect(may("once-in-a-lifetimes")).toBe(false); // longer than any word
    expect(letters("Good")).toBe(true);
    expect(letters("failure")).toBe(true);
    expect(letters("food")).toBe(false);
  });

  it("are found near the end of what may be read, where a load of 16 bytes cannot be made", () => {
    setUp();
    const n = put("xx good");
    expect(mayBeWord(at + 3, at + n, at + n)).toBe(true);
    expect(mayBeWord(at + 3, at + n - 1, at + n - 1)).toBe(false);
  });

  it("are found in a piece with what VADER strips from one end, not from both", () => {
    setUp();
    expect(piece("good,")).toBe(true);
    expect(piece("'good")).toBe(true);
    expect(piece("good!?!")).toBe(true);
    expect(piece("(good")).toBe(false); // '(' is not stripped
    expect(piece("'good'")).toBe(false); // both ends: VADER keeps the word whole
    expect(piece(":)")).toBe(true);
    expect(piece("143.")).toBe(true);
  });

  it("are found in any piece between spaces, and a byte beyond ASCII may be any word", () => {
    setUp();
    expect(pieces("a very good day")).toBe(true);
    expect(pieces("a\tday\nof\vfailure.")).toBe(true);
    expect(pieces("a day of rain")).toBe(false);
    expect(pieces("a day of café")).toBe(true);
    // Past the first eight bytes, read eight at a time: a space, a control byte that is no space, a byte beyond ASCII.
    expect(pieces("abcdefghijklmnopq good")).toBe(true);
    expect(pieces("abcdefghijklmnopq\u0001good")).toBe(false);
    expect(pieces("abcdefghijklmnopq\u0001\u001f\rgood")).toBe(true);
    expect(pieces("abcdefgh\tfailure.")).toBe(true);
    expect(pieces("abcdefghijklmnopqrstuvwxyz")).toBe(false);
    expect(pieces("abcdefghijklmnopqrstuvwxyé")).toBe(true);
  });

  it("may span a '?' or '&' where a word of the set holds one, and any message may hold a word with a '\"'", () => {
    setUp();
    let n = put("try h&k now");
    expect(mayJoinWord(at + 5, at, at + n)).toBe(true);
    n = put("try a&b now");
    expect(mayJoinWord(at + 5, at, at + n)).toBe(false);
    n = put("/shop?id=1&h=k");
    expect(mayJoinWord(at + 5, at, at + n)).toBe(false);
    expect(wordsHoldQuote()).toBe(false);
    add("\"hi\"");
    expect(wordsHoldQuote()).toBe(true);
    clearWords();
    add("good");
    n = put("try h&k now");
    expect(mayJoinWord(at + 5, at, at + n)).toBe(false); // no word of the set holds a '&'
  });

  it("are none once the set is emptied", () => {
    setUp();
    clearWords();
    expect(may("good")).toBe(false);
    expect(pieces("a very good day :)")).toBe(false);
  });
});
