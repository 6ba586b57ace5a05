import { describe, expect, it } from "vitest";
import { canonicalize } from "../../src/transparency/canonical";

describe("RFC 8785 canonical JSON", () => {
  it("matches the example of §3.2.2 (numbers, escapes, literals)", () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalize(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it("sorts members by UTF-16 code units as in §3.2.3", () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    // The surrogate pair (U+D83D…) sorts before U+FB33 by code unit, though after it by code point.
    expect(canonicalize(JSON.parse(input))).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    [0, "0"],
    [-0, "0"],
    [1e21, "1e+21"],
    [1e-7, "1e-7"],
    [0.000001, "0.000001"],
    [9007199254740991, "9007199254740991"],
    [-1.5e-300, "-1.5e-300"],
    [5e-324, "5e-324"],
  ])("serializes %d as %s", (value, text) => {
    expect(canonicalize(value)).toBe(text);
  });

  it("nests, and leaves out undefined members as a JSON round trip would", () => {
    const value = { b: [1, { d: true, c: null }], a: "x", skipped: undefined };
    expect(canonicalize(value)).toBe('{"a":"x","b":[1,{"c":null,"d":true}]}');
    expect(canonicalize(JSON.parse(JSON.stringify(value)))).toBe(canonicalize(value));
  });

  it.each([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["a lone surrogate", "\ud800"],
    ["undefined in an array", [undefined]],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["a bigint", 1n],
    ["a function", () => 1],
  ])("rejects %s", (_, value) => {
    expect(() => canonicalize(value)).toThrow(TypeError);
  });
});
