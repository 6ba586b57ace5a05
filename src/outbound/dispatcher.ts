import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { Agent, buildConnector, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { isPublicAddress } from "./addresses";

/**
 * Every outbound HTTP request of an Ensemble process (deliveries, actor and object fetches,
 * WebFinger, NodeInfo: Fedify calls the global `fetch`) goes through one undici dispatcher that
 *
 * - resolves the host once, checks the address and connects to that very address, so a name
 *   that resolves to a public address for a check and to 127.0.0.1 for the connection (DNS
 *   rebinding) gets nowhere; private, loopback, link-local, CGNAT, multicast and metadata
 *   addresses are refused unless `ENSEMBLE_ALLOW_PRIVATE_ADDRESS=true`;
 * - never lets a signed POST (a delivery) be redirected: the `Location` of a 3xx answer to a
 *   signed request other than GET/HEAD is dropped, so Fedify sees a failed delivery instead of
 *   re-posting our signed activity wherever the answer points (signed GETs may be redirected:
 *   each hop is a new request, checked like the first);
 * - gives each request a deadline (10 s from dispatch to the last byte) and each answer a size
 *   cap (1 MiB, counted on the wire; compressed answers are not asked for and are refused, so a
 *   small gzip cannot inflate past the cap).
 */
export interface OutboundPolicy {
  allowPrivateAddress: boolean;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export const OUTBOUND_TIMEOUT_MS = 10_000;
export const OUTBOUND_MAX_BODY_BYTES = 1024 * 1024;

export class RefusedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`Refused to connect to ${host} (${address}): not a public address`);
    this.name = "RefusedAddressError";
  }
}

export class OutboundLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundLimitError";
  }
}

/** The address to connect to for a host name: resolved once, checked, then used as is. */
async function checkedAddress(hostname: string, allowPrivateAddress: boolean): Promise<string> {
  const addresses = isIP(hostname) ? [hostname] : (await lookup(hostname, { all: true })).map((a) => a.address);
  if (addresses.length === 0) throw new Error(`${hostname} has no address`);
  if (allowPrivateAddress) return addresses[0];
  const usable = addresses.find(isPublicAddress);
  if (!usable) throw new RefusedAddressError(hostname, addresses[0]);
  return usable;
}

function checkingConnector(policy: Required<OutboundPolicy>): buildConnector.connector {
  const connect = buildConnector({ timeout: policy.timeoutMs });
  return (options, callback) => {
    checkedAddress(options.hostname, policy.allowPrivateAddress).then(
      // `host` (and so the TLS server name and the Host header) stays the name; only the socket gets the address
      (address) => connect({ ...options, hostname: address }, callback),
      (error: Error) => callback(error, null),
    );
  };
}

type Handler = Dispatcher.DispatchHandler;
type Controller = Parameters<NonNullable<Handler["onRequestStart"]>>[0];

/** A request header's value, whichever shape (flat array, object, iterable) the caller gave undici. */
function header(headers: Dispatcher.DispatchOptions["headers"], name: string): unknown {
  if (headers == null) return undefined;
  if (Array.isArray(headers)) {
    const flat = headers as unknown[];
    for (let i = 0; i < flat.length; i += 2) if (String(flat[i]).toLowerCase() === name) return flat[i + 1];
    return undefined;
  }
  if (typeof headers === "object" && !(Symbol.iterator in headers)) {
    return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  }
  for (const [k, v] of headers as Iterable<[string, unknown]>) if (k.toLowerCase() === name) return v;
  return undefined;
}

const isSigned = (headers: Dispatcher.DispatchOptions["headers"]) =>
  header(headers, "signature") !== undefined || header(headers, "signature-input") !== undefined;

/** Asks for the identity encoding, so the size cap counts what will be parsed. */
function withoutCompression(headers: Dispatcher.DispatchOptions["headers"]): Dispatcher.DispatchOptions["headers"] {
  if (headers == null) return { "accept-encoding": "identity" };
  if (Array.isArray(headers)) {
    const flat = headers as string[];
    const kept: string[] = [];
    for (let i = 0; i < flat.length; i += 2)
      if (String(flat[i]).toLowerCase() !== "accept-encoding") kept.push(flat[i], flat[i + 1]);
    return [...kept, "accept-encoding", "identity"];
  }
  if (typeof headers === "object" && !(Symbol.iterator in headers)) {
    const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "accept-encoding"));
    return { ...kept, "accept-encoding": "identity" };
  }
  return headers;
}

/** Forwards to the caller's handler, enforcing the deadline, the size cap and no redirect on POST. */
class GuardedHandler implements Handler {
  #controller?: Controller;
  #failure?: Error;
  #size = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly inner: Handler,
    private readonly redirectable: boolean,
    private readonly policy: Required<OutboundPolicy>,
    private readonly url: string,
  ) {
    this.#timer = setTimeout(
      () => this.#fail(new OutboundLimitError(`${url}: no complete answer within ${policy.timeoutMs} ms`)),
      policy.timeoutMs,
    );
    this.#timer.unref();
  }

  #fail(error: Error) {
    if (this.#failure) return;
    this.#failure = error;
    this.#controller?.abort(error);
  }

  onRequestStart(controller: Controller, context: unknown) {
    this.#controller = controller;
    if (this.#failure) return controller.abort(this.#failure);
    return this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Handler["onRequestUpgrade"]>>) {
    return this.inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(
    controller: Controller,
    statusCode: number,
    headers: Record<string, string | string[]>,
    statusMessage?: string,
  ) {
    if (this.#failure) return;
    if (!this.redirectable && statusCode >= 300 && statusCode < 400) delete headers.location;
    const encoding = String(headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity")
      return this.#fail(new OutboundLimitError(`${this.url}: compressed answer (${encoding}) refused`));
    if (Number(headers["content-length"] ?? 0) > this.policy.maxBodyBytes) return this.#fail(this.#tooLarge());
    return this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Controller, chunk: Buffer) {
    if (this.#failure) return;
    this.#size += chunk.length;
    if (this.#size > this.policy.maxBodyBytes) return this.#fail(this.#tooLarge());
    return this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Controller, trailers: Record<string, string | string[]>) {
    clearTimeout(this.#timer);
    if (this.#failure) return;
    return this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Controller, error: Error) {
    clearTimeout(this.#timer);
    return this.inner.onResponseError?.(controller, this.#failure ?? error);
  }

  #tooLarge() {
    return new OutboundLimitError(`${this.url}: answer larger than ${this.policy.maxBodyBytes} bytes`);
  }
}

/** The dispatcher described above; see {@link installOutboundGuard} for making it the process's own. */
export function outboundDispatcher(options: OutboundPolicy): Dispatcher {
  const policy: Required<OutboundPolicy> = {
    timeoutMs: OUTBOUND_TIMEOUT_MS,
    maxBodyBytes: OUTBOUND_MAX_BODY_BYTES,
    ...options,
  };
  const agent = new Agent({ connect: checkingConnector(policy) });
  return agent.compose((dispatch) => (opts, handler) => {
    const method = (opts.method ?? "GET").toUpperCase();
    const url = `${opts.origin ?? ""}${opts.path ?? ""}`;
    const redirectable = method === "GET" || method === "HEAD" || !isSigned(opts.headers);
    const guarded = new GuardedHandler(handler, redirectable, policy, url);
    return dispatch({ ...opts, headers: withoutCompression(opts.headers) }, guarded);
  });
}

/**
 * Makes the guarded dispatcher the one the global `fetch` uses (Fedify has no per-federation
 * fetch), and returns how to put the previous one back when the process's Ensemble closes.
 */
export function installOutboundGuard(policy: OutboundPolicy): () => void {
  const previous = getGlobalDispatcher();
  const dispatcher = outboundDispatcher(policy);
  setGlobalDispatcher(dispatcher);
  return () => {
    if (getGlobalDispatcher() === dispatcher) setGlobalDispatcher(previous);
    void dispatcher.close().catch(() => {});
  };
}
