/**
 * Validation of the `network` section: subnets (IPv4 and IPv6 CIDRs), weights, and a
 * destination family for every source family.
 *
 * @module
 */

import type { FlowGenConfig } from "./types.ts";
import type { ConfigPath } from "./errors.ts";
import { type Checker, describe, has } from "./checker.ts";
import { type Cidr, cidrsOverlap, parseCidr } from "./cidr.ts";

type Network = FlowGenConfig["network"];

const NETWORK_KEYS = [
  "source_subnets",
  "source_weights",
  "destination_subnets",
  "destination_weights",
];

/**
 * Reads `network`. Subnets must be valid CIDRs without host bits; two subnets of one list
 * may not overlap (the weights would not mean what they say); weights, when given, are
 * one per subnet, >= 0 and not all zero; every source family (with a weight > 0) needs a
 * destination subnet of the same family (with a weight > 0).
 */
export function readNetwork(c: Checker, value: unknown): Network {
  const path: ConfigPath = ["network"];
  const out: Network = { source_subnets: [], destination_subnets: [] };
  const n = c.mapping(value, path, NETWORK_KEYS);
  if (!n) return out;
  const before = c.count;
  const sources = readSubnets(c, n, "source_subnets");
  const destinations = readSubnets(c, n, "destination_subnets");
  const sourceWeights = readWeights(c, n, "source_weights", "source_subnets", sources);
  const destinationWeights = readWeights(
    c,
    n,
    "destination_weights",
    "destination_subnets",
    destinations,
  );
  if (sources) out.source_subnets = sources.map((s) => s.text);
  if (destinations) out.destination_subnets = destinations.map((s) => s.text);
  if (sourceWeights) out.source_weights = sourceWeights;
  if (destinationWeights) out.destination_weights = destinationWeights;
  if (c.count !== before || !sources || !destinations) return out;
  sources.forEach((source, i) => {
    if ((sourceWeights?.[i] ?? 1) <= 0) return;
    const found = destinations.some((d, j) =>
      d.version === source.version && (destinationWeights?.[j] ?? 1) > 0
    );
    if (!found) {
      c.fail(
        ["network", "destination_subnets"],
        `no IPv${source.version} subnet (with a weight > 0) for the IPv${source.version} source network.source_subnets[${i}] "${source.text}"`,
      );
    }
  });
  return out;
}

function readSubnets(c: Checker, n: Record<string, unknown>, key: string): Cidr[] | undefined {
  const path: ConfigPath = ["network", key];
  if (!has(n, key)) return c.missing(["network"], key);
  const list = c.list(n[key], path);
  if (!list) return undefined;
  if (list.length === 0) return c.fail(path, "empty, at least one subnet is required");
  const before = c.count;
  const cidrs: Cidr[] = [];
  list.forEach((item, i) => {
    if (typeof item !== "string") {
      c.fail([...path, i], `expected a CIDR subnet such as "10.0.0.0/8", got ${describe(item)}`);
      return;
    }
    const result = parseCidr(item);
    if (!result.ok) {
      c.fail([...path, i], `${describe(item)}: ${result.reason}`);
      return;
    }
    const other = cidrs.findIndex((seen) => cidrsOverlap(seen, result.cidr));
    if (other >= 0) {
      const same = cidrs[other].text === result.cidr.text;
      c.fail(
        [...path, i],
        `"${result.cidr.text}" ${same ? "repeats" : "overlaps"} network.${key}[${other}] "${
          cidrs[other].text
        }"`,
      );
    }
    cidrs.push(result.cidr);
  });
  return c.count === before ? cidrs : undefined;
}

function readWeights(
  c: Checker,
  n: Record<string, unknown>,
  key: string,
  subnetsKey: string,
  subnets: Cidr[] | undefined,
): number[] | undefined {
  if (!has(n, key)) return undefined;
  const path: ConfigPath = ["network", key];
  const list = c.list(n[key], path);
  if (!list) return undefined;
  const before = c.count;
  const weights = list.map((w, i) => c.number(w, [...path, i], { min: 0 }) ?? 0);
  if (c.count !== before) return undefined;
  if (subnets && weights.length !== subnets.length) {
    return c.fail(
      path,
      `${weights.length} weights for ${subnets.length} subnet${
        subnets.length === 1 ? "" : "s"
      } in network.${subnetsKey} (one weight per subnet expected)`,
    );
  }
  if (weights.length > 0 && weights.every((w) => w === 0)) {
    return c.fail(path, "all weights are zero");
  }
  return weights;
}
