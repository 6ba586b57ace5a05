/** Decodes standard padded base64 (RFC 4648 §4), rejecting any other spelling of the same bytes. */
export function decodeBase64(text: string): Uint8Array {
  const bytes = Buffer.from(text, "base64");
  // Buffer.from skips invalid characters and tolerates missing padding; signed
  // texts must have exactly one encoding, so only accept what re-encodes identically.
  if (bytes.toString("base64") !== text) throw new Error(`invalid base64: ${JSON.stringify(text)}`);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
