// JSON Canonicalization Scheme (RFC 8785): one byte sequence per JSON value,
// so a document's log leaf can be recomputed by anyone holding the document.

/**
 * The canonical JSON text of `value`. Object members whose value is undefined
 * are left out, as JSON.stringify does, so a value and its JSON round trip
 * canonicalize alike; anything else JSON cannot represent is rejected.
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
    // RFC 8785 §3.2.2.3 adopts ECMAScript's Number serialization, which is JSON.stringify's.
    return JSON.stringify(value);
  }
  if (typeof value === "string") {
    // I-JSON (RFC 7493), which RFC 8785 requires, forbids lone surrogates.
    if (/\p{Cs}/u.test(value)) throw new TypeError("string contains a lone surrogate");
    // JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 escapes, the same way.
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => {
      if (item === undefined) throw new TypeError("arrays cannot hold undefined in JSON");
      return canonicalize(item);
    });
    return `[${items.join(",")}]`;
  }
  if (typeof value === "object" && isPlainObject(value)) {
    // The default sort compares UTF-16 code units, the order RFC 8785 §3.2.3 specifies.
    const members = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${canonicalize(key)}:${canonicalize(value[key])}`);
    return `{${members.join(",")}}`;
  }
  throw new TypeError(`${typeof value} is not JSON`);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
