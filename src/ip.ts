/**
 * IP address conversions between the engine's numeric form (IPv4 as a host-order u32,
 * IPv6 as 16 network-order bytes) and text. Used for the records' lazy `source_ip` /
 * `destination_ip` strings; bulk output is always formatted by the engine.
 *
 * @module
 */

/**
 * Formats a host-order IPv4 address as dotted decimal.
 *
 * @example
 * ```ts
 * import { ipv4ToString } from "./ip.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(ipv4ToString(0xc0a8012d), "192.168.1.45");
 * ```
 */
export function ipv4ToString(address: number): string {
  return (address >>> 24) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) +
    "." + (address & 255);
}

/**
 * Formats 16 network-order bytes (at `offset` in `bytes`) as an IPv6 address in the
 * canonical text form of RFC 5952 (lower case, longest run of two or more zero groups
 * compressed to `::`).
 *
 * @example
 * ```ts
 * import { ipv6ToString } from "./ip.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const bytes = new Uint8Array(16);
 * bytes[0] = 0x20; bytes[1] = 0x01; bytes[2] = 0x0d; bytes[3] = 0xb8; bytes[15] = 1;
 * assertEquals(ipv6ToString(bytes), "2001:db8::1");
 * ```
 */
export function ipv6ToString(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) {
    groups.push((bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1]);
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups.slice(from, to).map((group) => group.toString(16)).join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/**
 * Parses a dotted-decimal IPv4 address to a host-order u32.
 *
 * @example
 * ```ts
 * import { parseIpv4 } from "./ip.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(parseIpv4("10.0.0.1"), 0x0a000001);
 * ```
 */
export function parseIpv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4) throw new SyntaxError(`Invalid IPv4 address: "${text}"`);
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) {
      throw new SyntaxError(`Invalid IPv4 address: "${text}"`);
    }
    value = value * 256 + Number(part);
  }
  return value >>> 0;
}

/**
 * Parses an IPv6 address (with `::` compression and an optional dotted IPv4 tail) into 16
 * network-order bytes.
 *
 * @example
 * ```ts
 * import { parseIpv6, ipv6ToString } from "./ip.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(ipv6ToString(parseIpv6("2001:DB8:0:0:0:0:0:1")), "2001:db8::1");
 * ```
 */
export function parseIpv6(text: string): Uint8Array {
  const invalid = () => new SyntaxError(`Invalid IPv6 address: "${text}"`);
  let body = text;
  const lastColon = body.lastIndexOf(":");
  if (lastColon >= 0 && body.includes(".", lastColon)) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    body = `${body.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${
      (v4 & 0xffff).toString(16)
    }`;
  }
  const halves = body.split("::");
  if (halves.length > 2) throw invalid();
  const parse = (part: string) =>
    part === "" ? [] : part.split(":").map((group) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw invalid();
      return parseInt(group, 16);
    });
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const total = head.length + rest.length;
  if (halves.length === 2 ? total > 7 : total !== 8) throw invalid();
  const groups = [...head, ...new Array(8 - total).fill(0), ...rest];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 255;
  });
  return bytes;
}
