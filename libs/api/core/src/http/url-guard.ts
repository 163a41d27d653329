import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppConfig } from '../config/app-config';

/** Where a webhook may not go (RFC 6890 special-purpose ranges): this host, private networks, link-local, CGNAT, multicast... */
const SPECIAL_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const SPECIAL_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
];

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

export class UnsafeWebhookTarget extends Error {}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address. */
function normalize(address: string): ResolvedTarget {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

function blockList(ranges: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix, type] of ranges) list.addSubnet(network, prefix, type);
  return list;
}

/** `10.0.0.0/8,::1/128` → ranges; throws on a malformed entry (the config refuses to start). */
export function parseNetworks(value: string): [string, number, 'ipv4' | 'ipv6'][] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [network = '', prefix] = entry.split('/');
      const family = isIP(network);
      const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
      if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32))
        throw new Error(`not a network: "${entry}" (expected an address or CIDR such as 127.0.0.0/8)`);
      return [network, bits, family === 6 ? 'ipv6' : 'ipv4'];
    });
}

/**
 * Keeps requests to URLs our users give (partner webhook subscriptions) off our own
 * network (SSRF): a URL must be http(s) without credentials, and every address its host resolves to
 * must be public, unless the operator allowed its network (PARTNER_WEBHOOKS_ALLOWED_NETWORKS).
 * `postToTarget` connects to the address checked here, so a DNS answer that changes between check
 * and connect can't slip through.
 */
export class UrlGuard {
  private readonly special = blockList([
    ...SPECIAL_V4.map(([n, p]) => [n, p, 'ipv4'] as [string, number, 'ipv4']),
    ...SPECIAL_V6.map(([n, p]) => [n, p, 'ipv6'] as [string, number, 'ipv6']),
  ]);
  private readonly allowed: BlockList;

  constructor(
    allowedNetworks: string,
    private readonly resolve: (host: string) => Promise<{ address: string; family: number }[]> = (host) =>
      lookup(host, { all: true, verbatim: true }),
  ) {
    this.allowed = blockList(parseNetworks(allowedNetworks));
  }

  /** What is wrong with the URL's form, or null. */
  problemWith(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'url must be an absolute http or https URL';
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'url must use http or https';
    if (parsed.username || parsed.password) return 'url must not carry a user name or password';
    if (!parsed.hostname) return 'url must name a host';
    return null;
  }

  /** The address to connect to for `url`; throws UnsafeWebhookTarget naming the reason. */
  async target(url: string): Promise<ResolvedTarget> {
    const problem = this.problemWith(url);
    if (problem) throw new UnsafeWebhookTarget(problem);
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    let addresses: ResolvedTarget[];
    if (isIP(host)) addresses = [normalize(host)];
    else {
      try {
        addresses = (await this.resolve(host)).map((a) => normalize(a.address));
      } catch {
        throw new UnsafeWebhookTarget(`url's host ${host} could not be resolved`);
      }
    }
    const [first] = addresses;
    if (!first) throw new UnsafeWebhookTarget(`url's host ${host} could not be resolved`);
    // Every address must pass: a host resolving to one public and one private address is refused.
    for (const target of addresses) {
      const type = target.family === 6 ? 'ipv6' : 'ipv4';
      if (this.special.check(target.address, type) && !this.allowed.check(target.address, type))
        throw new UnsafeWebhookTarget(
          `url's host ${host} resolves to ${target.address}, a private, loopback or otherwise reserved address`,
        );
    }
    return first;
  }
}

/** UrlGuard for a module's providers, with the operator's allowed networks. */
export const URL_GUARD_PROVIDER = {
  provide: UrlGuard,
  useFactory: (config: AppConfig) => new UrlGuard(config.PARTNER_WEBHOOKS_ALLOWED_NETWORKS),
  inject: [AppConfig],
};

export interface PostAnswer {
  /** Null when no answer came (network error, timeout). */
  status: number | null;
  error: string | null;
  latencyMs: number;
  headers: http.IncomingHttpHeaders;
}

/**
 * Whether an answer to a POST of ours is worth trying again: network errors and timeouts (no
 * status), 5xx, 408 and 429. Any other 4xx means the receiver refused it for good.
 */
export function isRetryable(status: number | null): boolean {
  return status === null || status >= 500 || status === 408 || status === 429;
}

/** How much of a network error is kept. */
const ERROR_LENGTH = 300;

/** POSTs `body` to `url`, connecting to `target` (from UrlGuard.target), never following redirects; never throws. */
export function postToTarget(
  url: string,
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostAnswer> {
  const started = performance.now();
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  return new Promise((resolve) => {
    const done = (status: number | null, error: string | null, answered: http.IncomingHttpHeaders = {}) =>
      resolve({ status, error, latencyMs: Math.round(performance.now() - started), headers: answered });
    const request = (url.startsWith('https:') ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup,
      timeout: timeoutMs,
    });
    request.on('response', (response) => {
      response.resume();
      const status = response.statusCode ?? null;
      const ok = status !== null && status >= 200 && status < 300;
      done(status, ok ? null : `answered ${status}`, response.headers);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => done(null, error.message.slice(0, ERROR_LENGTH)));
    request.end(body);
  });
}
