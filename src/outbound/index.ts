export { isPublicAddress } from "./addresses";
export {
  installOutboundGuard,
  outboundDispatcher,
  OutboundLimitError,
  RefusedAddressError,
  OUTBOUND_MAX_BODY_BYTES,
  OUTBOUND_TIMEOUT_MS,
  type OutboundPolicy,
} from "./dispatcher";
