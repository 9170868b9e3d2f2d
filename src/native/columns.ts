/**
 * The generator's struct-of-arrays columns as typed arrays over the engine's memory,
 * mapped once per generator: the column pointers are fixed for the generator's life, so
 * every batch is read through the same views, without copying.
 *
 * @module
 */

import type { NativeLibrary, NativePointer } from "./backend.ts";
import { Column, COLUMN_COUNT, COLUMN_ELEMENT_BYTES } from "./constants.ts";
import { EngineError } from "../errors.ts";

/**
 * A set of columns: typed arrays with one element per record (16 bytes per record for the
 * IPv6 columns); u64 columns also as u32 pairs (`*32`, low word first).
 */
export interface Columns {
  /** FLOWGEN_COL_TIMESTAMP_NS. */
  readonly timestampNs: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_TIMESTAMP_NS as u32 pairs. */
  readonly timestampNs32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_TIMESTAMP_S. */
  readonly timestamp: Float64Array<ArrayBuffer>;
  /** FLOWGEN_COL_DURATION_NS. */
  readonly durationNs: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_DURATION_NS as u32 pairs. */
  readonly durationNs32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_IP_VERSION. */
  readonly ipVersion: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_SRC_IP4. */
  readonly sourceIp4: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_DST_IP4. */
  readonly destinationIp4: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_SRC_IP6 (16 bytes per record). */
  readonly sourceIp6: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_DST_IP6 (16 bytes per record). */
  readonly destinationIp6: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_SRC_PORT. */
  readonly sourcePort: Uint16Array<ArrayBuffer>;
  /** FLOWGEN_COL_DST_PORT. */
  readonly destinationPort: Uint16Array<ArrayBuffer>;
  /** FLOWGEN_COL_PROTOCOL. */
  readonly protocol: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_TCP_FLAGS. */
  readonly tcpFlags: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_LENGTH. */
  readonly packetLength: Uint16Array<ArrayBuffer>;
  /** FLOWGEN_COL_PACKETS. */
  readonly packets: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_BYTES. */
  readonly bytes: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_BYTES as u32 pairs. */
  readonly bytes32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_FLOW_ID. */
  readonly flowId: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_FLOW_ID as u32 pairs. */
  readonly flowId32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_DIRECTION. */
  readonly direction: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_PATTERN. */
  readonly pattern: Uint8Array<ArrayBuffer>;
}

/**
 * Records `start .. start + length` of `columns` as exact-length subarrays (no copy), or
 * copies of them when `copy` is true; `ip6: false` leaves the IPv6 columns empty (for
 * data known to hold IPv4 records only).
 */
export function sliceColumns(
  c: Columns,
  start: number,
  length: number,
  copy: boolean,
  ip6 = true,
): Columns {
  const end = start + length;
  const cut = <T extends { subarray(a: number, b: number): T; slice(a: number, b: number): T }>(
    array: T,
    width = 1,
  ): T =>
    copy ? array.slice(start * width, end * width) : array.subarray(start * width, end * width);
  const timestampNs = cut(c.timestampNs);
  const durationNs = cut(c.durationNs);
  const bytes = cut(c.bytes);
  const flowId = cut(c.flowId);
  const pairs = (array: BigUint64Array<ArrayBuffer>) =>
    new Uint32Array(array.buffer, array.byteOffset, array.length * 2);
  return {
    timestampNs,
    timestampNs32: pairs(timestampNs),
    timestamp: cut(c.timestamp),
    durationNs,
    durationNs32: pairs(durationNs),
    ipVersion: cut(c.ipVersion),
    sourceIp4: cut(c.sourceIp4),
    destinationIp4: cut(c.destinationIp4),
    sourceIp6: ip6 ? cut(c.sourceIp6, 16) : new Uint8Array(0),
    destinationIp6: ip6 ? cut(c.destinationIp6, 16) : new Uint8Array(0),
    sourcePort: cut(c.sourcePort),
    destinationPort: cut(c.destinationPort),
    protocol: cut(c.protocol),
    tcpFlags: cut(c.tcpFlags),
    packetLength: cut(c.packetLength),
    packets: cut(c.packets),
    bytes,
    bytes32: pairs(bytes),
    flowId,
    flowId32: pairs(flowId),
    direction: cut(c.direction),
    pattern: cut(c.pattern),
  };
}

/**
 * Typed-array views of every column, `capacity` records long. u64 columns also have a
 * `Uint32Array` view (`*32`, two elements per record, low word first on the little-endian
 * platforms the library is built for) to read them as numbers without BigInts.
 */
export class ColumnViews implements Columns {
  /** Records per column. */
  readonly capacity: number;
  /** FLOWGEN_COL_TIMESTAMP_NS. */
  readonly timestampNs: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_TIMESTAMP_NS as u32 pairs. */
  readonly timestampNs32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_TIMESTAMP_S. */
  readonly timestamp: Float64Array<ArrayBuffer>;
  /** FLOWGEN_COL_DURATION_NS. */
  readonly durationNs: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_DURATION_NS as u32 pairs. */
  readonly durationNs32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_IP_VERSION. */
  readonly ipVersion: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_SRC_IP4. */
  readonly sourceIp4: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_DST_IP4. */
  readonly destinationIp4: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_SRC_IP6 (16 bytes per record). */
  readonly sourceIp6: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_DST_IP6 (16 bytes per record). */
  readonly destinationIp6: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_SRC_PORT. */
  readonly sourcePort: Uint16Array<ArrayBuffer>;
  /** FLOWGEN_COL_DST_PORT. */
  readonly destinationPort: Uint16Array<ArrayBuffer>;
  /** FLOWGEN_COL_PROTOCOL. */
  readonly protocol: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_TCP_FLAGS. */
  readonly tcpFlags: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_LENGTH. */
  readonly packetLength: Uint16Array<ArrayBuffer>;
  /** FLOWGEN_COL_PACKETS. */
  readonly packets: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_BYTES. */
  readonly bytes: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_BYTES as u32 pairs. */
  readonly bytes32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_FLOW_ID. */
  readonly flowId: BigUint64Array<ArrayBuffer>;
  /** FLOWGEN_COL_FLOW_ID as u32 pairs. */
  readonly flowId32: Uint32Array<ArrayBuffer>;
  /** FLOWGEN_COL_DIRECTION. */
  readonly direction: Uint8Array<ArrayBuffer>;
  /** FLOWGEN_COL_PATTERN. */
  readonly pattern: Uint8Array<ArrayBuffer>;
  readonly #buffers: ArrayBuffer[];

  /** Maps the columns of `generator` (whose batch capacity is `capacity`). */
  constructor(lib: NativeLibrary, generator: NativePointer, capacity: number) {
    this.capacity = capacity;
    const buffers: ArrayBuffer[] = [];
    for (let column = 0; column < COLUMN_COUNT; column++) {
      const pointer = lib.symbols.flowgen_generator_column(generator, column);
      if (lib.isNull(pointer)) {
        throw new EngineError(`the engine returned no memory for column ${column}`, -99);
      }
      buffers.push(lib.view(pointer, capacity * COLUMN_ELEMENT_BYTES[column]));
    }
    this.#buffers = buffers;
    const b = (column: number) => buffers[column];
    this.timestampNs = new BigUint64Array(b(Column.TIMESTAMP_NS));
    this.timestampNs32 = new Uint32Array(b(Column.TIMESTAMP_NS));
    this.timestamp = new Float64Array(b(Column.TIMESTAMP_S));
    this.durationNs = new BigUint64Array(b(Column.DURATION_NS));
    this.durationNs32 = new Uint32Array(b(Column.DURATION_NS));
    this.ipVersion = new Uint8Array(b(Column.IP_VERSION));
    this.sourceIp4 = new Uint32Array(b(Column.SRC_IP4));
    this.destinationIp4 = new Uint32Array(b(Column.DST_IP4));
    this.sourceIp6 = new Uint8Array(b(Column.SRC_IP6));
    this.destinationIp6 = new Uint8Array(b(Column.DST_IP6));
    this.sourcePort = new Uint16Array(b(Column.SRC_PORT));
    this.destinationPort = new Uint16Array(b(Column.DST_PORT));
    this.protocol = new Uint8Array(b(Column.PROTOCOL));
    this.tcpFlags = new Uint8Array(b(Column.TCP_FLAGS));
    this.packetLength = new Uint16Array(b(Column.LENGTH));
    this.packets = new Uint32Array(b(Column.PACKETS));
    this.bytes = new BigUint64Array(b(Column.BYTES));
    this.bytes32 = new Uint32Array(b(Column.BYTES));
    this.flowId = new BigUint64Array(b(Column.FLOW_ID));
    this.flowId32 = new Uint32Array(b(Column.FLOW_ID));
    this.direction = new Uint8Array(b(Column.DIRECTION));
    this.pattern = new Uint8Array(b(Column.PATTERN));
  }

  /**
   * Detaches every view (their length becomes 0), so that reading a column after its
   * generator was freed yields `undefined` instead of touching freed memory.
   */
  detach(): void {
    for (const buffer of this.#buffers) {
      try {
        buffer.transfer(0);
      } catch {
        // already detached, or a runtime without transfer(): nothing more to do
      }
    }
  }

  /** The raw byte view of one column (`FLOWGEN_COL_*`), `capacity` records long. */
  raw(column: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.#buffers[column]);
  }
}
