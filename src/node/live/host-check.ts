/**
 * The `Host` check against DNS rebinding: a page on another site whose name was made to
 * resolve to 127.0.0.1 sends its own name in `Host`, so a server on the loopback answers
 * only to names it knows. Pure: the server passes its own addresses in.
 */

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * The host part of a `Host` header, in the form the allowed set keeps: lower case, no
 * port, no IPv6 brackets, no trailing dot. Undefined for a missing or empty header.
 *
 * @example
 * hostName('LocalHost:9000'); // 'localhost'
 * hostName('[::1]:9000');     // '::1'
 */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  let host = header.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end < 0 ? host.slice(1) : host.slice(1, end);
  } else if (host.indexOf(':') === host.lastIndexOf(':')) {
    // One colon at most: name:port (a bare IPv6 address has several).
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host === '' ? undefined : host;
}

/**
 * The names a server bound to `bound` answers to: `localhost`, the bound address, and
 * `extra` (the `allowedHosts` option). Bound to every interface (`0.0.0.0`, `::`), its
 * bound addresses are the machine's own (`localAddresses`, e.g. a pod's IP), so probes
 * and scrapers that use them are answered. Throws a TypeError naming a bad `extra` entry.
 *
 * @example
 * allowedHostSet('127.0.0.1', ['app.internal'], []); // Set { 'localhost', '127.0.0.1', 'app.internal' }
 */
export function allowedHostSet(bound: string, extra: readonly string[] = [], localAddresses: readonly string[] = []): Set<string> {
  if (!Array.isArray(extra)) {
    throw new TypeError(`invalid allowedHosts: ${String(extra)} (expected an array of host names)`);
  }
  const allowed = new Set<string>(['localhost']);
  const boundName = nameOf(bound);
  if (boundName !== undefined) allowed.add(boundName);
  if (WILDCARDS.has(bound)) {
    allowed.add('127.0.0.1');
    allowed.add('::1');
    for (const address of localAddresses) allowed.add(address.toLowerCase());
  }
  for (const host of extra) {
    const name = typeof host === 'string' ? nameOf(host) : undefined;
    if (name === undefined) throw new TypeError(`invalid allowedHosts entry: ${JSON.stringify(host) ?? String(host)} (expected a host name)`);
    allowed.add(name);
  }
  return allowed;
}

/**
 * Whether a request with this `Host` header may be answered.
 *
 * @example
 * hostAllowed('localhost:9000', allowedHostSet('127.0.0.1')); // true
 * hostAllowed('evil.example', allowedHostSet('127.0.0.1'));   // false
 */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = hostName(header);
  return name !== undefined && allowed.has(name);
}

// A name as configured: a bare IPv6 address (several colons, no brackets) is taken whole,
// anything else as a Host header would be.
function nameOf(text: string): string | undefined {
  const bareIpv6 = !text.startsWith('[') && text.indexOf(':') !== text.lastIndexOf(':');
  return hostName(bareIpv6 ? `[${text}]` : text);
}
