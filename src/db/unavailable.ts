// Whether an error means the database is out of reach right now (rather than a bug or a bad
// query): the HTTP layer then answers 503 with Retry-After, and the process keeps running.

// Connection-level failures: postgres.js (CONNECTION_*, CONNECT_TIMEOUT), node-postgres and
// sockets (E*), and the server's own refusals (SQLSTATE class 08, 57P01-57P03 shutdown, 53300 too many connections).
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);
const unavailableMessages = [
  /Connection terminated/i,
  /connection (was )?(closed|ended|reset)/i,
  /Client has encountered a connection error/i,
];

/** Whether an error (or one it wraps) means the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 8) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && unavailableCodes.has(e.code)) return true;
  if (typeof e.message === "string" && unavailableMessages.some((r) => r.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** An error's message with its code, from the error or the connection error it wraps, for a log line. */
export function describeError(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: unknown };
  const root = err?.cause && !err.code ? (err.cause as { code?: string; message?: string }) : err;
  const message = root?.message || String(e);
  return root?.code && !message.includes(root.code) ? `${root.code} ${message}` : message;
}
