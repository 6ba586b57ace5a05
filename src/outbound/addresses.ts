import { BlockList, isIP } from "node:net";

/**
 * Addresses no outbound connection may reach (IANA special-purpose registries, RFC 6890):
 * whatever a remote actor document names, Ensemble must not POST with its signature to, or fetch
 * from, its own network, its neighbours or a cloud metadata service.
 */
const special = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT (and Alibaba's metadata service, 100.100.100.200)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (AWS, GCP, Azure metadata at 169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments (Oracle metadata at 192.0.0.192)
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  special.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 96], // unspecified, loopback, IPv4-compatible (deprecated)
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID…)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds any IPv4 address, private ones included
  ["fc00::", 7], // unique local (AWS metadata at fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  special.addSubnet(net, prefix, "ipv6");

/** The IPv4 address embedded in a well-known NAT64 address (64:ff9b::/96), which a gateway would reach. */
function nat64Target(address: string): string | undefined {
  // the URL parser writes IPv6 in one canonical form: compressed, lower case, IPv4 part in hex
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const m = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return undefined;
  const hi = parseInt(m[1], 16);
  const lo = parseInt(m[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
}

/**
 * Whether an IP address (v4, v6, IPv4-mapped v6) is a public unicast address. `BlockList`
 * matches an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against the IPv4 rules.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !special.check(address, "ipv4");
  const embedded = nat64Target(address);
  if (embedded) return isPublicAddress(embedded);
  return !special.check(address, "ipv6");
}
