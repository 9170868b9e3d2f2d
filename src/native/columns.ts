/**
 * The generator's struct-of-arrays columns as typed arrays over the engine's memory,
 * mapped once per generator: the column pointers are fixed for the generator's life, so
 * every batch is read through the same views, without copying.
 *
 * {@linkcode BatchColumns} (with {@linkcode Columns}) is the one declaration of the
 * columns; the layout tables below map each of its fields onto an engine column, checked
 * by the compiler, and every set of views (the mapped columns, a batch, a copy) is built
 * from them.
 *
 * @module
 */

import type { NativeLibrary, NativePointer } from "./backend.ts";
import { Column, COLUMN_COUNT, COLUMN_ELEMENT_BYTES } from "./constants.ts";
import { EngineError } from "../errors.ts";

/**
 * The columns of a {@linkcode FlowBatch}: typed arrays with one element per record (16
 * bytes per record for the IPv6 columns).
 */
export interface BatchColumns {
  /** Flow start, nanoseconds since the Unix epoch. */
  readonly timestampNs: BigUint64Array<ArrayBuffer>;
  /** Flow start, seconds since the Unix epoch (the brief's `timestamp`). */
  readonly timestamp: Float64Array<ArrayBuffer>;
  /** Flow duration in nanoseconds. */
  readonly durationNs: BigUint64Array<ArrayBuffer>;
  /** 4 or 6. */
  readonly ipVersion: Uint8Array<ArrayBuffer>;
  /** IPv4 source address as a host-order number (0 for IPv6 records). */
  readonly sourceIp4: Uint32Array<ArrayBuffer>;
  /** IPv4 destination address as a host-order number (0 for IPv6 records). */
  readonly destinationIp4: Uint32Array<ArrayBuffer>;
  /** IPv6 source addresses, 16 network-order bytes per record. */
  readonly sourceIp6: Uint8Array<ArrayBuffer>;
  /** IPv6 destination addresses, 16 network-order bytes per record. */
  readonly destinationIp6: Uint8Array<ArrayBuffer>;
  /** Source port. */
  readonly sourcePort: Uint16Array<ArrayBuffer>;
  /** Destination port (ICMP: type << 8 | code). */
  readonly destinationPort: Uint16Array<ArrayBuffer>;
  /** IP protocol number. */
  readonly protocol: Uint8Array<ArrayBuffer>;
  /** OR of the flow's TCP flags. */
  readonly tcpFlags: Uint8Array<ArrayBuffer>;
  /** Packet length (the brief's `packet_length`). */
  readonly packetLength: Uint16Array<ArrayBuffer>;
  /** Packets per flow. */
  readonly packets: Uint32Array<ArrayBuffer>;
  /** Bytes per flow. */
  readonly bytes: BigUint64Array<ArrayBuffer>;
  /** Flow id, shared by a request and its response. */
  readonly flowId: BigUint64Array<ArrayBuffer>;
  /** 0 request (or one-way), 1 response. */
  readonly direction: Uint8Array<ArrayBuffer>;
  /** Index into the batch's pattern names. */
  readonly pattern: Uint8Array<ArrayBuffer>;
}

/**
 * {@linkcode BatchColumns} plus the u64 columns as `Uint32Array`s (`*32`, two elements per
 * record, low word first on the little-endian platforms the library is built for), to
 * read them as numbers without BigInts. Internal.
 */
export interface Columns extends BatchColumns {
  /** `timestampNs` as u32 pairs. */
  readonly timestampNs32: Uint32Array<ArrayBuffer>;
  /** `durationNs` as u32 pairs. */
  readonly durationNs32: Uint32Array<ArrayBuffer>;
  /** `bytes` as u32 pairs. */
  readonly bytes32: Uint32Array<ArrayBuffer>;
  /** `flowId` as u32 pairs. */
  readonly flowId32: Uint32Array<ArrayBuffer>;
}

/** A typed-array constructor making a `T` over part of a buffer. */
interface View<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

type Layout<K extends keyof Columns> = {
  readonly [F in K]: readonly [column: number, view: View<Columns[F]>];
};

// The engine column (`FLOWGEN_COL_*`) behind each field, and the typed array reading it.
const BATCH_LAYOUT: Layout<keyof BatchColumns> = {
  timestampNs: [Column.TIMESTAMP_NS, BigUint64Array],
  timestamp: [Column.TIMESTAMP_S, Float64Array],
  durationNs: [Column.DURATION_NS, BigUint64Array],
  ipVersion: [Column.IP_VERSION, Uint8Array],
  sourceIp4: [Column.SRC_IP4, Uint32Array],
  destinationIp4: [Column.DST_IP4, Uint32Array],
  sourceIp6: [Column.SRC_IP6, Uint8Array],
  destinationIp6: [Column.DST_IP6, Uint8Array],
  sourcePort: [Column.SRC_PORT, Uint16Array],
  destinationPort: [Column.DST_PORT, Uint16Array],
  protocol: [Column.PROTOCOL, Uint8Array],
  tcpFlags: [Column.TCP_FLAGS, Uint8Array],
  packetLength: [Column.LENGTH, Uint16Array],
  packets: [Column.PACKETS, Uint32Array],
  bytes: [Column.BYTES, BigUint64Array],
  flowId: [Column.FLOW_ID, BigUint64Array],
  direction: [Column.DIRECTION, Uint8Array],
  pattern: [Column.PATTERN, Uint8Array],
};

const PAIR_LAYOUT: Layout<Exclude<keyof Columns, keyof BatchColumns>> = {
  timestampNs32: [Column.TIMESTAMP_NS, Uint32Array],
  durationNs32: [Column.DURATION_NS, Uint32Array],
  bytes32: [Column.BYTES, Uint32Array],
  flowId32: [Column.FLOW_ID, Uint32Array],
};

const LAYOUT: Layout<keyof Columns> = { ...BATCH_LAYOUT, ...PAIR_LAYOUT };

/** The fields of {@linkcode BatchColumns}, in layout order. */
export const BATCH_FIELDS = Object.keys(BATCH_LAYOUT) as readonly (keyof BatchColumns)[];

// The layout as flat per-field arrays, for the loops below.
const FIELDS = Object.keys(LAYOUT) as readonly (keyof Columns)[];
const FIELD_COLUMN = FIELDS.map((field) => LAYOUT[field][0]);
const FIELD_VIEW = FIELDS.map((field) => LAYOUT[field][1] as View<Columns[keyof Columns]>);
// Elements of the field's view per record (16 for an IPv6 column, 2 for a u32 pair).
const FIELD_STRIDE = FIELD_COLUMN.map((column, k) =>
  COLUMN_ELEMENT_BYTES[column] / FIELD_VIEW[k].BYTES_PER_ELEMENT
);

const NO_IP6 = new Set<number>([Column.SRC_IP6, Column.DST_IP6]);

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
  // A clone of the layout literal has every field already, so setting them by key keeps
  // it a fast object (22 properties added by key to `{}` make a dictionary of it).
  const out = { ...LAYOUT } as unknown as Record<keyof Columns, unknown>;
  const copies: ArrayBuffer[] = []; // by column: the fields of a column share one copy
  for (let k = 0; k < FIELDS.length; k++) {
    const column = FIELD_COLUMN[k];
    const view = c[FIELDS[k]];
    const stride = FIELD_STRIDE[k];
    if (!ip6 && NO_IP6.has(column)) {
      out[FIELDS[k]] = new FIELD_VIEW[k](new ArrayBuffer(0), 0, 0);
    } else if (copy) {
      const width = COLUMN_ELEMENT_BYTES[column];
      const from = view.byteOffset + start * width;
      const bytes = copies[column] ??= view.buffer.slice(from, from + length * width);
      out[FIELDS[k]] = new FIELD_VIEW[k](bytes, 0, length * stride);
    } else {
      out[FIELDS[k]] = view.subarray(start * stride, (start + length) * stride);
    }
  }
  return out as unknown as Columns;
}

/**
 * Typed-array views of every column ({@linkcode Columns}), `capacity` records long.
 */
export interface ColumnViews extends Columns {}
export class ColumnViews {
  /** Records per column. */
  readonly capacity: number;
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
    const out = this as Record<keyof Columns, unknown>;
    for (let k = 0; k < FIELDS.length; k++) {
      out[FIELDS[k]] = new FIELD_VIEW[k](buffers[FIELD_COLUMN[k]], 0, capacity * FIELD_STRIDE[k]);
    }
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
