/**
 * Flow export packets (NetFlow v5, NetFlow v9, IPFIX) written natively: the options they
 * share between `sendFlows` (UDP) and files (`exportPackets`: raw packets — an IPFIX
 * file per RFC 5655 — or pcap/pcapng captures of the UDP datagrams).
 *
 * @module
 */

import { FlowGenerator, nativeGeneratorOf } from "./generator.ts";
import { loadLibrary } from "./native/loader.ts";
import { NativeEncoder } from "./native/encoder.ts";
import { Container, Format, Param } from "./native/constants.ts";
import { RecordFeed } from "./native/record_feed.ts";
import { streamGenerator } from "./exporters.ts";
import { OutputFile } from "./output_file.ts";

/** Export packet formats by name. */
export const PACKET_FORMATS: Readonly<Record<PacketFormat, number>> = {
  netflow5: Format.NETFLOW5,
  netflow9: Format.NETFLOW9,
  ipfix: Format.IPFIX,
};

/** Name of an export packet format. */
export type PacketFormat = "netflow5" | "netflow9" | "ipfix";

/** True when `name` is a {@linkcode PacketFormat}. */
export function isPacketFormat(name: string): name is PacketFormat {
  return Object.hasOwn(PACKET_FORMATS, name);
}

/** How export packets are shaped; every field is optional (engine defaults in brackets). */
export interface PacketOptions {
  /** Largest IP packet [1500]; each UDP payload is at most `mtu - 28` bytes. */
  mtu?: number;
  /** v9/IPFIX: resend the templates every N packets [20]; 0 = never by count. */
  templatePackets?: number;
  /** v9/IPFIX: ... and every T seconds of export time [60]; 0 = never by time. */
  templateSeconds?: number;
  /** IPFIX observation domain / v9 source id [0]. */
  domainId?: number;
  /** NetFlow v5 engine type [0]. */
  engineType?: number;
  /** NetFlow v5 engine id [0]. */
  engineId?: number;
  /** NetFlow v5 sampling field [0]. */
  samplingInterval?: number;
  /** NetFlow v5: skip and count IPv6 records instead of failing [false]. */
  skipUnsupported?: boolean;
  /** IPFIX: flowStart/EndNanoseconds instead of milliseconds [false]. */
  ipfixNanoseconds?: boolean;
  /** IPFIX: RFC 5103 biflow records, a request and its response in one record [false]. */
  ipfixBiflow?: boolean;
}

/**
 * The packet options of a config's `export` section (undefined where it says nothing).
 *
 * @example
 * ```ts
 * import { packetOptionsOf } from "./packet_export.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(packetOptionsOf({ mtu: 9000, domain_id: 3 }).domainId, 3);
 * ```
 */
export function packetOptionsOf(
  section: {
    mtu?: number;
    template_packets?: number;
    template_seconds?: number;
    domain_id?: number;
    engine_type?: number;
    engine_id?: number;
    sampling_interval?: number;
    skip_unsupported?: boolean;
    ipfix_nanoseconds?: boolean;
    ipfix_biflow?: boolean;
  } | undefined,
): PacketOptions {
  const s = section ?? {};
  return {
    mtu: s.mtu,
    templatePackets: s.template_packets,
    templateSeconds: s.template_seconds,
    domainId: s.domain_id,
    engineType: s.engine_type,
    engineId: s.engine_id,
    samplingInterval: s.sampling_interval,
    skipUnsupported: s.skip_unsupported,
    ipfixNanoseconds: s.ipfix_nanoseconds,
    ipfixBiflow: s.ipfix_biflow,
  };
}

/** Options of {@linkcode exportPackets}. */
export interface PacketFileOptions extends PacketOptions {
  /** The packet format. */
  format: PacketFormat;
  /** "none" [default]: packets back to back; "pcap"/"pcapng": UDP frames on 127.0.0.1. */
  container?: "none" | "pcap" | "pcapng";
  /** UDP ports in pcap/pcapng [2055, 2055]. */
  sourcePort?: number;
  /** UDP destination port in pcap/pcapng [2055]. */
  destinationPort?: number;
  /** Records to export (default: the generator's max_flows, which must then be set). */
  maxRecords?: number;
}

/** What a packet export wrote. */
export interface PacketExportResult {
  /** Records in the packets (IPv6 records skipped in v5 not included). */
  records: number;
  /** IPv6 records skipped (v5 with `skipUnsupported`). */
  skipped: number;
  /** Export packets. */
  packets: number;
  /** Bytes written (container included). */
  bytes: number;
}

const CONTAINERS = { none: Container.NONE, pcap: Container.PCAP, pcapng: Container.PCAPNG };

/** Sets the parameters of `options` that are given on a packet-format `encoder`. */
export function configurePacketEncoder(encoder: NativeEncoder, options: PacketOptions): void {
  const set = (param: number, value: number | boolean | undefined) => {
    if (value !== undefined) encoder.setParam(param, value);
  };
  set(Param.MTU, options.mtu);
  set(Param.TEMPLATE_PACKETS, options.templatePackets);
  set(Param.TEMPLATE_SECONDS, options.templateSeconds);
  set(Param.DOMAIN_ID, options.domainId);
  set(Param.ENGINE_TYPE, options.engineType);
  set(Param.ENGINE_ID, options.engineId);
  set(Param.SAMPLING_INTERVAL, options.samplingInterval);
  set(Param.SKIP_UNSUPPORTED, options.skipUnsupported);
  set(Param.IPFIX_NANOSECONDS, options.ipfixNanoseconds);
  set(Param.IPFIX_BIFLOW, options.ipfixBiflow);
}

/** Creates a native encoder for `format` configured with `options`. */
export function createPacketEncoder(format: PacketFormat, options: PacketOptions): NativeEncoder {
  if (!isPacketFormat(format)) {
    throw new RangeError(`Expected format netflow5, netflow9 or ipfix, got "${format}"`);
  }
  const encoder = new NativeEncoder(loadLibrary(), PACKET_FORMATS[format]);
  try {
    configurePacketEncoder(encoder, options);
  } catch (error) {
    encoder.free();
    throw error;
  }
  return encoder;
}

/**
 * Writes a generator's records as export packets to `filename` (written under a
 * temporary name and renamed at the end, so a failure leaves no partial file).
 *
 * @example An IPFIX file (RFC 5655) and a pcap of NetFlow v9 datagrams
 * ```ts
 * import { exportPackets, FlowGenerator } from "../mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const config = {
 *   generation: { max_flows: 1000, seed: 7 },
 *   traffic_patterns: [{ type: "web_traffic", percentage: 100 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * };
 * using a = new FlowGenerator(config);
 * console.log(exportPackets(a, `${dir}/flows.ipfix`, { format: "ipfix" }).records); // 1000
 * using b = new FlowGenerator(config);
 * exportPackets(b, `${dir}/flows.pcap`, { format: "netflow9", container: "pcap" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function exportPackets(
  generator: FlowGenerator,
  filename: string,
  options: PacketFileOptions,
): PacketExportResult {
  if (!(generator instanceof FlowGenerator)) throw new TypeError("Expected a FlowGenerator");
  if (typeof filename !== "string" || filename === "") throw new TypeError("Expected a file name");
  const native = nativeGeneratorOf(generator);
  if (options.maxRecords === undefined && native.config.generation.max_flows === 0) {
    throw new RangeError(
      "The generator has no max_flows: pass { maxRecords } to export a finite number of records",
    );
  }
  const container = options.container ?? "none";
  if (!Object.hasOwn(CONTAINERS, container)) {
    throw new RangeError(`Expected container none, pcap or pcapng, got "${container}"`);
  }
  const encoder = createPacketEncoder(options.format, options);
  const feed = new RecordFeed(encoder.lib, encoder);
  const output = new OutputFile(filename);
  try {
    encoder.setParam(Param.CONTAINER, CONTAINERS[container]);
    if (options.sourcePort !== undefined) encoder.setParam(Param.SOURCE_PORT, options.sourcePort);
    if (options.destinationPort !== undefined) {
      encoder.setParam(Param.DESTINATION_PORT, options.destinationPort);
    }
    output.open((path) => encoder.open(path));
    streamGenerator(native, encoder, feed, options.maxRecords ?? Infinity);
    encoder.finish();
    const stats = encoder.stats();
    encoder.free();
    output.commit();
    return {
      records: stats.recordsEncoded,
      skipped: stats.recordsSkipped,
      packets: stats.packets,
      bytes: stats.bytes,
    };
  } finally {
    feed.free();
    encoder.free();
    output.discard();
  }
}
