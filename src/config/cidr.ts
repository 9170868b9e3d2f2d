/**
 * CIDR subnet parsing for `network.source_subnets` / `destination_subnets`: IPv4
 * (`192.168.1.0/24`) and IPv6 (`2001:db8::/32`), strict syntax, host bits refused.
 *
 * @module
 */

/** A parsed subnet. */
export interface Cidr {
  /** 4 or 6. */
  version: 4 | 6;
  /** The network address, 4 or 16 bytes, network order, host bits zero. */
  bytes: Uint8Array;
  /** Prefix length, 0..32 or 0..128. */
  prefix: number;
  /** Canonical text (`10.0.0.0/8`, `2001:db8::/32`, RFC 5952 for IPv6). */
  text: string;
}

/** The result of {@linkcode parseCidr}: a subnet, or why the text is not one. */
export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; reason: string };

/**
 * Parses a CIDR subnet. Refuses: a missing prefix length (suggesting `/32` or `/128`), a
 * prefix out of range, a malformed address (octets above 255, IPv4 octets with leading
 * zeros, bad IPv6 groups, zone ids), and host bits set after the prefix (suggesting the
 * network address) — a subnet with host bits is almost always a typo.
 *
 * @example
 * ```ts
 * import { parseCidr } from "./cidr.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const r = parseCidr("2001:DB8:0:0::/32");
 * assertEquals(r.ok && r.cidr.text, "2001:db8::/32");
 * const bad = parseCidr("192.168.1.5/24");
 * assertEquals(bad.ok ? "" : bad.reason, 'host bits are set after /24 (did you mean "192.168.1.0/24"?)');
 * ```
 */
export function parseCidr(text: string): CidrResult {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const bytes = parseAddress(addressText);
  if (typeof bytes === "string") return { ok: false, reason: bytes };
  const version = bytes.length === 4 ? 4 : 6;
  const bits = bytes.length * 8;
  if (slash < 0) {
    return {
      ok: false,
      reason: `missing the prefix length (did you mean "${formatAddress(bytes)}/${bits}"?)`,
    };
  }
  const prefixText = trimmed.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) {
    return { ok: false, reason: `"/${prefixText}" is not a prefix length (0..${bits})` };
  }
  const prefix = Number(prefixText);
  if (prefix > bits) {
    return {
      ok: false,
      reason: `prefix length /${prefix} is out of range for IPv${version} (0..${bits})`,
    };
  }
  const network = maskBytes(bytes, prefix);
  const networkText = `${formatAddress(network)}/${prefix}`;
  if (!bytes.every((b, i) => b === network[i])) {
    return {
      ok: false,
      reason: `host bits are set after /${prefix} (did you mean "${networkText}"?)`,
    };
  }
  return { ok: true, cidr: { version, bytes: network, prefix, text: networkText } };
}

/**
 * Whether two subnets share any address (same family and one contains the other).
 *
 * @example
 * ```ts
 * import { cidrsOverlap, parseCidr } from "./cidr.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const get = (t: string) => { const r = parseCidr(t); if (!r.ok) throw new Error(r.reason); return r.cidr; };
 * assertEquals(cidrsOverlap(get("10.0.0.0/8"), get("10.1.0.0/16")), true);
 * assertEquals(cidrsOverlap(get("10.0.0.0/16"), get("10.1.0.0/16")), false);
 * ```
 */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false;
  const shorter = Math.min(a.prefix, b.prefix);
  const x = maskBytes(a.bytes, shorter);
  const y = maskBytes(b.bytes, shorter);
  return x.every((byte, i) => byte === y[i]);
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = bytes[i] & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

/** Parses an IPv4 or IPv6 address into bytes, or returns why it is not one. */
function parseAddress(text: string): Uint8Array | string {
  if (text === "") return "empty address (expected e.g. 192.168.1.0/24 or 2001:db8::/32)";
  if (text.includes(":")) return parseIPv6(text);
  return parseIPv4(text) ?? `"${text}" is not an IPv4 or IPv6 address`;
}

function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(parts[i])) return undefined;
    const value = Number(parts[i]);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

function parseIPv6(text: string): Uint8Array | string {
  const invalid = `"${text}" is not an IPv6 address`;
  if (text.includes("%")) return `${invalid} (zone ids are not allowed in a subnet)`;
  const halves = text.split("::");
  if (halves.length > 2) return invalid;
  const groups: number[][] = [];
  for (const [h, half] of halves.entries()) {
    const words: number[] = [];
    const parts = half === "" ? [] : half.split(":");
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (h === halves.length - 1 && i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIPv4(part);
        if (!v4) return invalid;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        words.push(parseInt(part, 16));
      } else {
        return invalid;
      }
    }
    groups.push(words);
  }
  const head = groups[0];
  const tail = groups.length === 2 ? groups[1] : [];
  const missing = 8 - head.length - tail.length;
  if (groups.length === 1 ? missing !== 0 : missing < 1) return invalid;
  const words = [...head, ...new Array<number>(groups.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/**
 * Formats 4 bytes as dotted quad, 16 bytes per RFC 5952 (lower case, longest run of two
 * or more zero groups as `::`).
 *
 * @example
 * ```ts
 * import { formatAddress } from "./cidr.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(formatAddress(new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
 * ```
 */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
