// The report's escaping of log text, in process: every character that is markup, a control or would
// hide (bidirectional, zero-width, a lone surrogate) is shown for what it is.
import { describe, expect, it } from "vitest";
import { charLabel, html } from "../../../host/core/report/report-html.js";

describe("the report's HTML", () => {
  it("escapes every kind of character it is given", () => {
    expect(html(`<a href="x" onclick='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    expect(html("a\0b\nc\rd\te")).toBe(`a<span class="ctl" title="U+0000">\\0</span>b<span class="ctl" title="U+000A">\\n</span>c<span class="ctl" title="U+000D">\\r</span>d\te`);
    expect(html("\u2066x\u2069\ufeff\x7f")).toBe(
      `<span class="ctl" title="U+2066">\\u2066</span>x<span class="ctl" title="U+2069">\\u2069</span><span class="ctl" title="U+FEFF">\\ufeff</span><span class="ctl" title="U+007F">\\x7f</span>`,
    );
    expect(html("lone \ud800 pair \ud83d\ude00")).toBe(`lone <span class="ctl" title="U+D800">\\ud800</span> pair \ud83d\ude00`);
    expect([" ", "\t", "<", "\u202e", "é"].map(charLabel)).toEqual(["\u2423", "\\t", "<", "\\u202e", "é"]);
  });
});
