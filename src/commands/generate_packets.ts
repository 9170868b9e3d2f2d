/**
 * `flowgen generate -f netflow5|netflow9|ipfix [--pcap|--pcapng] -o FILE`: export packets
 * written to a file natively (raw packets back to back — for IPFIX an RFC 5655 file — or a
 * pcap/pcapng capture of the UDP datagrams), with the config's `export` section.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { FlowGenerator } from "../generator.ts";
import { exportPackets, type PacketFormat, packetOptionsOf } from "../packet_export.ts";
import type { GenerateRequest, GenerateSummary } from "./generate.ts";

/** A packet format and its container (none: raw packets). */
export interface PacketRequest {
  format: PacketFormat;
  container?: "pcap" | "pcapng";
}

/** Which container `--pcap`/`--pcapng` ask for (both: a usage error). */
export function containerOf(
  values: Record<string, string | boolean | undefined>,
  format: string,
): "pcap" | "pcapng" | undefined {
  if (values.pcap && values.pcapng) throw new UsageError("--pcap and --pcapng exclude each other");
  const container = values.pcap ? "pcap" : values.pcapng ? "pcapng" : undefined;
  if (container && !["netflow5", "netflow9", "ipfix"].includes(format)) {
    throw new UsageError(`--${container} needs --format netflow5, netflow9 or ipfix`);
  }
  return container;
}

/** Runs a request whose format is a packet format (binary: a file is required). */
export function generatePackets(
  request: GenerateRequest,
  { format, container }: PacketRequest,
): GenerateSummary {
  if (request.output === undefined) {
    throw new UsageError(`--format ${format} writes binary packets: give --output FILE`);
  }
  if (request.config.generation.max_flows === 0) {
    throw new UsageError(`--format ${format} needs a record count: give -n COUNT`);
  }
  const started = performance.now();
  using generator = new FlowGenerator(request.config);
  const exported = request.config.export;
  const result = exportPackets(generator, request.output, {
    ...packetOptionsOf(exported),
    format,
    container: container ?? "none",
    sourcePort: exported?.source_port,
  });
  return {
    records: result.records,
    seconds: (performance.now() - started) / 1000,
    seed: generator.getStats().seed,
    interrupted: false,
    brokenPipe: false,
  };
}
