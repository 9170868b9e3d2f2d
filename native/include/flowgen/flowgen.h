/*
 * flowgen.h — the C ABI of libflowgen, the only door into the FlowGen engine.
 *
 * Deno (Deno.dlopen), Node (koffi), Bun (bun:ffi) and the C++ header
 * <flowgen/generator.hpp> all come through these functions.
 *
 * Conventions (after zstd.h and duckdb.h):
 *  - Handles are opaque. Every `*_new` has a matching `*_free`; `*_free(NULL)` is a no-op.
 *  - Functions that can fail return `int32_t`: FLOWGEN_OK (0) or a negative FLOWGEN_ERR_*.
 *    Functions that return a count return it when >= 0 and a negative error otherwise.
 *  - After a failure, `flowgen_*_error(handle)` returns a message naming what was wrong
 *    (the config key, the value, why). The string is owned by the handle and valid until
 *    the next call on that handle.
 *  - No function aborts the process or lets a C++ exception escape.
 *  - Hot functions take and return 32-bit integers and pointers only (a 64-bit result
 *    becomes a BigInt in JavaScript, which is slow).
 *  - Handles are not thread-safe: use one handle from one thread at a time.
 */
#ifndef FLOWGEN_H
#define FLOWGEN_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(FLOWGEN_BUILDING)
#    define FLOWGEN_API __declspec(dllexport)
#  elif defined(FLOWGEN_STATIC)
#    define FLOWGEN_API
#  else
#    define FLOWGEN_API __declspec(dllimport)
#  endif
#else
#  define FLOWGEN_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- version */

/** ABI version. Loaders refuse a library whose flowgen_abi_version() differs. */
#define FLOWGEN_ABI_VERSION 1
#define FLOWGEN_VERSION_STRING "0.1.0"

/** Returns FLOWGEN_ABI_VERSION of the library actually loaded. */
FLOWGEN_API uint32_t flowgen_abi_version(void);
/** Returns the library's semantic version ("0.1.0"); static storage. */
FLOWGEN_API const char* flowgen_version(void);

/* ---------------------------------------------------------------- status */

#define FLOWGEN_OK 0
#define FLOWGEN_ERR_INVALID_ARGUMENT (-1) /* a NULL handle, an unknown enum value */
#define FLOWGEN_ERR_INVALID_CONFIG (-2)   /* a config value refused; see the message */
#define FLOWGEN_ERR_IO (-3)               /* open/write failed; message has errno text */
#define FLOWGEN_ERR_STATE (-4)            /* call not valid now (e.g. encode after finish) */
#define FLOWGEN_ERR_NO_MEMORY (-5)        /* allocation failed or a resource limit refused */
#define FLOWGEN_ERR_CHECKPOINT (-6)       /* blob corrupt, other version or other config */
#define FLOWGEN_ERR_UNSUPPORTED (-7)      /* e.g. an IPv6 record in NetFlow v5 */
#define FLOWGEN_ERR_BUFFER_TOO_SMALL (-8) /* caller buffer too small; size reported */
#define FLOWGEN_ERR_INTERNAL (-99)        /* a bug: please report the message */

/** Short static description of a status code ("invalid config"). */
FLOWGEN_API const char* flowgen_status_string(int32_t status);

/* ---------------------------------------------------------------- config */

/*
 * A config is built with plain setters, then handed to flowgen_generator_new(), which
 * validates it as a whole (percentages sum to 100, weights match subnets, ...).
 * Setters check what they can alone (a CIDR's syntax, a negative size) and fail early.
 * Keys in messages use the YAML names of the brief ("generation.rate.bandwidth_gbps",
 * "network.source_subnets[1]", "traffic_patterns[2].percentage").
 */
typedef struct flowgen_config flowgen_config;

/** Creates a config holding the defaults of the brief's example; NULL if out of memory.
 *  Owned by the caller: free with flowgen_config_free(). Defaults: bandwidth 10 Gbps,
 *  max_flows 0 (no limit), start now, random seed, sizes 64/1500/800, no subnets and no
 *  patterns (at least one of each is required). */
FLOWGEN_API flowgen_config* flowgen_config_new(void);
FLOWGEN_API void flowgen_config_free(flowgen_config* config);
/** Last error message for this config (also the place generator_new reports to). */
FLOWGEN_API const char* flowgen_config_error(const flowgen_config* config);

/* generation.* */
/** 0 = unlimited. */
FLOWGEN_API int32_t flowgen_config_set_max_flows(flowgen_config* config, uint64_t max_flows);
/** > 0 and finite; timestamps advance by bytes * 8 / bandwidth. */
FLOWGEN_API int32_t flowgen_config_set_bandwidth_gbps(flowgen_config* config, double gbps);
/** Nanoseconds since the Unix epoch. Unset: the wall clock when the generator is created.
 *  The clock ends at 2^64 - 1 ns (year 2554): generation stops before a record would pass it
 *  (flowgen_generator_is_done() then says 1), and a response due after it is not created. */
FLOWGEN_API int32_t flowgen_config_set_start_timestamp_ns(flowgen_config* config, uint64_t ns);
/** Unset: a random seed, reported by flowgen_generator_stats(). */
FLOWGEN_API int32_t flowgen_config_set_seed(flowgen_config* config, uint64_t seed);

/** generation.flow_model: how a record is shaped (also per pattern). */
#define FLOWGEN_MODEL_PACKET 0 /* the brief: one packet per record, bytes = length */
#define FLOWGEN_MODEL_FLOW 1   /* per-protocol packets/bytes/duration distributions */
FLOWGEN_API int32_t flowgen_config_set_flow_model(flowgen_config* config, int32_t model);

/** generation.bidirectional.probability in [0, 1]: share of requests that get a response
 *  record (swapped endpoints, same flow id, start after an RTT). */
FLOWGEN_API int32_t flowgen_config_set_bidirectional(flowgen_config* config, double probability);
/** generation.bidirectional.rtt_ms: RTT distribution in milliseconds (FLOWGEN_DIST_*). */
FLOWGEN_API int32_t flowgen_config_set_rtt_ms(flowgen_config* config, int32_t dist, double a,
                                              double b);
/** generation.bidirectional.max_pending: bound on responses waiting to be emitted.
 *  Values above FLOWGEN_MAX_PENDING_LIMIT are refused (resource limit). */
#define FLOWGEN_MAX_PENDING_LIMIT (1u << 24)
FLOWGEN_API int32_t flowgen_config_set_max_pending(flowgen_config* config, uint32_t max_pending);

/** generation.shard: this generator produces shard `index` of `count` (0 <= index < count):
 *  its own RNG stream and bandwidth / count over the same simulated span. */
FLOWGEN_API int32_t flowgen_config_set_shard(flowgen_config* config, uint32_t index,
                                             uint32_t count);
/** generation.threads: generate `threads` shards in parallel and merge them by timestamp
 *  (deterministic for a given thread count and seed). 1 (default) = no worker threads. */
/** Resource limit checked by generator_new: threads x batch size <= this many records. */
#define FLOWGEN_MAX_THREAD_RECORDS (1u << 22)
FLOWGEN_API int32_t flowgen_config_set_threads(flowgen_config* config, uint32_t threads);
/** Records per batch (capacity of the column arrays), 1 .. FLOWGEN_MAX_BATCH. Default 16384. */
#define FLOWGEN_MAX_BATCH (1u << 20)
FLOWGEN_API int32_t flowgen_config_set_batch_size(flowgen_config* config, uint32_t records);

/* packets.* */
/** 20 <= min_size <= average_size <= max_size <= 65535 (checked by generator_new). */
FLOWGEN_API int32_t flowgen_config_set_packet_sizes(flowgen_config* config, uint32_t min_size,
                                                    uint32_t max_size, uint32_t average_size);

/* network.* — CIDRs of either family, "192.168.1.0/24" or "2001:db8::/32". A record's
 * destination is drawn among the destination subnets of its source's family. */
FLOWGEN_API int32_t flowgen_config_add_source_subnet(flowgen_config* config, const char* cidr);
FLOWGEN_API int32_t flowgen_config_add_destination_subnet(flowgen_config* config,
                                                          const char* cidr);
/** Weights, one per subnet added (count checked by generator_new); unset = equal. */
FLOWGEN_API int32_t flowgen_config_set_source_weights(flowgen_config* config,
                                                      const double* weights, uint32_t count);
FLOWGEN_API int32_t flowgen_config_set_destination_weights(flowgen_config* config,
                                                           const double* weights,
                                                           uint32_t count);

/* traffic_patterns[] */
/** Adds a built-in pattern: "web_traffic", "dns_traffic", "ssh_traffic",
 *  "database_traffic", "smtp_traffic", "ftp_traffic", "random". Returns the pattern's index
 *  (>= 0) or an error. Percentages must sum to 100 (checked by generator_new). */
FLOWGEN_API int32_t flowgen_config_add_pattern(flowgen_config* config, const char* type,
                                               double percentage);
/** Adds a custom pattern named `name` with IP protocol `protocol` (6 TCP, 17 UDP, 1 ICMP,
 *  58 ICMPv6, or any other number). Returns its index or an error. It needs at least one
 *  destination port (TCP/UDP) added with flowgen_config_pattern_add_port(). */
FLOWGEN_API int32_t flowgen_config_add_custom_pattern(flowgen_config* config, const char* name,
                                                      uint32_t protocol, double percentage);
FLOWGEN_API int32_t flowgen_config_pattern_add_port(flowgen_config* config, int32_t pattern,
                                                    uint32_t port, double weight);

/** Distributions (parameters a, b): */
#define FLOWGEN_DIST_FIXED 0     /* a = value */
#define FLOWGEN_DIST_UNIFORM 1   /* a = min, b = max */
#define FLOWGEN_DIST_NORMAL 2    /* a = mean, b = standard deviation */
#define FLOWGEN_DIST_LOGNORMAL 3 /* a = mu, b = sigma (of the underlying normal) */
#define FLOWGEN_DIST_PARETO 4    /* a = scale (x_m), b = shape (alpha) */
#define FLOWGEN_DIST_EMPIRICAL 5 /* set with flowgen_config_pattern_set_empirical() */

/** What a pattern distribution describes (flow model): */
#define FLOWGEN_Q_PACKET_SIZE 0          /* bytes per packet of the request direction */
#define FLOWGEN_Q_PACKETS 1              /* packets per flow, request direction */
#define FLOWGEN_Q_DURATION_MS 2          /* flow duration in milliseconds */
#define FLOWGEN_Q_RESPONSE_PACKET_SIZE 3 /* bytes per packet of the response */
#define FLOWGEN_Q_RESPONSE_PACKETS 4     /* packets per flow of the response */

FLOWGEN_API int32_t flowgen_config_pattern_set_distribution(flowgen_config* config,
                                                            int32_t pattern, int32_t quantity,
                                                            int32_t dist, double a, double b);
/** Empirical table: `count` values with their weights (copied). */
FLOWGEN_API int32_t flowgen_config_pattern_set_empirical(flowgen_config* config, int32_t pattern,
                                                         int32_t quantity, const double* values,
                                                         const double* weights, uint32_t count);
/** Per-pattern overrides of generation.flow_model and generation.bidirectional. */
FLOWGEN_API int32_t flowgen_config_pattern_set_flow_model(flowgen_config* config,
                                                          int32_t pattern, int32_t model);
FLOWGEN_API int32_t flowgen_config_pattern_set_bidirectional(flowgen_config* config,
                                                             int32_t pattern, double probability);

/* ---------------------------------------------------------------- generator */

typedef struct flowgen_generator flowgen_generator;

/** Validates `config` and creates a generator from a copy of it (the config may be freed
 *  right after). On success *out owns a generator (free with flowgen_generator_free()).
 *  On failure *out is NULL and flowgen_config_error(config) says which key and why. */
FLOWGEN_API int32_t flowgen_generator_new(flowgen_config* config, flowgen_generator** out);
FLOWGEN_API void flowgen_generator_free(flowgen_generator* generator);
FLOWGEN_API const char* flowgen_generator_error(const flowgen_generator* generator);

/**
 * Fills the next batch of up to `max_records` records (capped at the batch capacity) into
 * the generator's columns. Returns the number of records (0 when max_flows is reached) or
 * a negative error. Records come in timestamp order (one exception: when
 * generation.bidirectional.max_pending responses are already waiting, the earliest is
 * emitted before its time to keep memory bounded).
 */
FLOWGEN_API int32_t flowgen_generator_next_batch(flowgen_generator* generator,
                                                 uint32_t max_records);
/** Records in the current batch (the last next_batch result, 0 before the first). */
FLOWGEN_API uint32_t flowgen_generator_batch_size(const flowgen_generator* generator);
/** Capacity of every column, in records (the config's batch size). */
FLOWGEN_API uint32_t flowgen_generator_batch_capacity(const flowgen_generator* generator);

/** Columns of the batch, struct-of-arrays. Each pointer is fixed for the generator's life
 *  (memory owned by the generator, `capacity` elements); the contents are valid until the
 *  next call to next_batch/reset/restore. */
#define FLOWGEN_COL_TIMESTAMP_NS 0 /* uint64_t  flow start, ns since the Unix epoch */
#define FLOWGEN_COL_TIMESTAMP_S 1  /* double    the same in seconds (the brief's timestamp) */
#define FLOWGEN_COL_DURATION_NS 2  /* uint64_t  flow duration (0 for one-packet records) */
#define FLOWGEN_COL_IP_VERSION 3   /* uint8_t   4 or 6 */
#define FLOWGEN_COL_SRC_IP4 4      /* uint32_t  IPv4 source, host byte order (0 if IPv6) */
#define FLOWGEN_COL_DST_IP4 5      /* uint32_t  IPv4 destination, host byte order */
#define FLOWGEN_COL_SRC_IP6 6      /* uint8_t[16] IPv6 source, network order (only if v6) */
#define FLOWGEN_COL_DST_IP6 7      /* uint8_t[16] IPv6 destination, network order */
#define FLOWGEN_COL_SRC_PORT 8     /* uint16_t  (0 for ICMP) */
#define FLOWGEN_COL_DST_PORT 9     /* uint16_t  (ICMP: type << 8 | code, as NetFlow does) */
#define FLOWGEN_COL_PROTOCOL 10    /* uint8_t   IP protocol number */
#define FLOWGEN_COL_TCP_FLAGS 11   /* uint8_t   OR of the flow's TCP flags (0 if not TCP) */
#define FLOWGEN_COL_LENGTH 12      /* uint16_t  packet length; mean packet size of a flow */
#define FLOWGEN_COL_PACKETS 13     /* uint32_t  >= 1 */
#define FLOWGEN_COL_BYTES 14       /* uint64_t  >= packets * minimum header size */
#define FLOWGEN_COL_FLOW_ID 15     /* uint64_t  shared by a request and its response */
#define FLOWGEN_COL_DIRECTION 16   /* uint8_t   0 request (or one-way), 1 response */
#define FLOWGEN_COL_PATTERN 17     /* uint8_t   index of the traffic pattern */
#define FLOWGEN_COLUMN_COUNT 18

/** Pointer to column `column` (FLOWGEN_COL_*), or NULL for an unknown column. */
FLOWGEN_API const void* flowgen_generator_column(const flowgen_generator* generator,
                                                 int32_t column);
/** Name of pattern `index` ("web_traffic", or a custom pattern's name); NULL if out of
 *  range. Owned by the generator. */
FLOWGEN_API const char* flowgen_generator_pattern_name(const flowgen_generator* generator,
                                                       uint32_t index);
FLOWGEN_API uint32_t flowgen_generator_pattern_count(const flowgen_generator* generator);

/** 1 when max_flows records have been produced, or the clock has reached its end
 *  (see flowgen_config_set_start_timestamp_ns), else 0. */
FLOWGEN_API int32_t flowgen_generator_is_done(const flowgen_generator* generator);
/** Rewinds to the first record: the same seed and start replay the identical sequence. */
FLOWGEN_API int32_t flowgen_generator_reset(flowgen_generator* generator);

typedef struct flowgen_stats {
  uint64_t flows_generated;    /* records produced so far */
  uint64_t packets_generated;  /* sum of packets */
  uint64_t bytes_generated;    /* sum of bytes */
  uint64_t first_timestamp_ns; /* start of the simulated span */
  uint64_t last_timestamp_ns;  /* timeline position: start + bytes * 8 / bandwidth, or
                                  UINT64_MAX once it passed the end of the clock */
  uint64_t seed;               /* the seed in use (the configured or the random one) */
  uint64_t pending_responses;  /* bidirectional responses waiting to be emitted */
  double simulated_seconds;    /* (last - first) / 1e9 */
  double wall_seconds;         /* time spent inside next_batch */
  double flows_per_second;     /* flows_generated / wall_seconds */
} flowgen_stats;

/** Fills *out. `size` must be sizeof(flowgen_stats) (lets the struct grow later). */
FLOWGEN_API int32_t flowgen_generator_stats(const flowgen_generator* generator, flowgen_stats* out,
                                            uint32_t size);

/**
 * Checkpoint: the generator's whole state (RNG, counters, timeline, pending responses) as a
 * versioned, checksummed blob that only a generator built from the same config accepts.
 * flowgen_generator_checkpoint() writes it into `buffer` and returns its size; with a
 * buffer too small (or NULL) it returns FLOWGEN_ERR_BUFFER_TOO_SMALL and stores the size
 * needed in *needed (if not NULL).
 */
FLOWGEN_API int32_t flowgen_generator_checkpoint(const flowgen_generator* generator,
                                                 uint8_t* buffer, uint32_t capacity,
                                                 uint32_t* needed);
/** Restores a blob from flowgen_generator_checkpoint(); the next batch continues exactly
 *  where the checkpointed generator stood. FLOWGEN_ERR_CHECKPOINT for a corrupt blob, a
 *  blob of another format version, or one made from another config. */
FLOWGEN_API int32_t flowgen_generator_restore(flowgen_generator* generator, const uint8_t* blob,
                                              uint32_t size);

/* ---------------------------------------------------------------- encoders */

/*
 * An encoder turns batches into bytes natively: text formats (CSV, JSON, JSON Lines) and
 * flow export packets (NetFlow v5/v9, IPFIX). Output goes to a sink (a file it opens, or a
 * caller's file descriptor) or, without a sink, stays in the encoder's buffer for the
 * caller to read (flowgen_encoder_data/size) and then drop (flowgen_encoder_consume).
 * For packet formats the buffer holds whole packets back to back; packet boundaries are
 * given by flowgen_encoder_packet_ends().
 */
typedef struct flowgen_encoder flowgen_encoder;

#define FLOWGEN_FORMAT_CSV 1
#define FLOWGEN_FORMAT_JSON 2
#define FLOWGEN_FORMAT_JSONL 3
#define FLOWGEN_FORMAT_NETFLOW5 4
#define FLOWGEN_FORMAT_NETFLOW9 5
#define FLOWGEN_FORMAT_IPFIX 6

/** Parameters (flowgen_encoder_set_param), default in brackets. Set before the first encode. */
#define FLOWGEN_PARAM_CSV_HEADER 1          /* [1] write the header line */
#define FLOWGEN_PARAM_JSON_PRETTY 2         /* [1] JSON array pretty-printed (2-space indent) */
#define FLOWGEN_PARAM_CONTAINER 3           /* [0] FLOWGEN_CONTAINER_* for packet formats */
#define FLOWGEN_PARAM_MTU 4                 /* [1500] max IP packet; UDP payload = MTU - 28 */
#define FLOWGEN_PARAM_TEMPLATE_PACKETS 5    /* [20] resend templates every N packets (v9/IPFIX) */
#define FLOWGEN_PARAM_TEMPLATE_SECONDS 6    /* [60] ... and every T seconds of export time */
#define FLOWGEN_PARAM_DOMAIN_ID 7           /* [0] IPFIX observation domain / v9 source id */
#define FLOWGEN_PARAM_ENGINE_TYPE 8         /* [0] NetFlow v5 engine type */
#define FLOWGEN_PARAM_ENGINE_ID 9           /* [0] NetFlow v5 engine id */
#define FLOWGEN_PARAM_SAMPLING_INTERVAL 10  /* [0] NetFlow v5 sampling field */
#define FLOWGEN_PARAM_SKIP_UNSUPPORTED 11   /* [0] 1: skip and count IPv6 records in v5 */
#define FLOWGEN_PARAM_IPFIX_NANOSECONDS 12  /* [0] 1: flowStart/EndNanoseconds */
#define FLOWGEN_PARAM_IPFIX_BIFLOW 13       /* [0] 1: RFC 5103 biflow records (pairs by flow id) */
#define FLOWGEN_PARAM_SOURCE_PORT 14        /* [2055] UDP source port in pcap/pcapng */
#define FLOWGEN_PARAM_DESTINATION_PORT 15   /* [2055] UDP destination port in pcap/pcapng */
#define FLOWGEN_PARAM_WRITER_THREAD 16      /* [0] 1: write to the sink from a second thread */
#define FLOWGEN_PARAM_BUFFER_BYTES 17       /* [1 MiB] flush to the sink past this size */

#define FLOWGEN_CONTAINER_NONE 0   /* raw packets (an IPFIX file per RFC 5655 for IPFIX) */
#define FLOWGEN_CONTAINER_PCAP 1   /* pcap: each packet in Ethernet/IPv4/UDP, 127.0.0.1 */
#define FLOWGEN_CONTAINER_PCAPNG 2 /* pcapng, likewise */

/** Creates an encoder for FLOWGEN_FORMAT_*; FLOWGEN_ERR_INVALID_ARGUMENT for another value. */
FLOWGEN_API int32_t flowgen_encoder_new(int32_t format, flowgen_encoder** out);
/** Frees the encoder; does NOT finish it (call flowgen_encoder_finish first). Closes a file
 *  it opened itself; never closes a caller's descriptor. */
FLOWGEN_API void flowgen_encoder_free(flowgen_encoder* encoder);
FLOWGEN_API const char* flowgen_encoder_error(const flowgen_encoder* encoder);
FLOWGEN_API int32_t flowgen_encoder_set_param(flowgen_encoder* encoder, int32_t param,
                                              int64_t value);
/** Text formats: the fields written, comma-separated, in order. Default (the brief's):
 *  "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length". Also available: packets,
 *  bytes, duration, tcp_flags, flow_id, direction, pattern, ip_version. */
FLOWGEN_API int32_t flowgen_encoder_set_fields(flowgen_encoder* encoder, const char* fields);

/** Sinks. open(): creates/truncates `path` (append = 1 appends, for resume). */
FLOWGEN_API int32_t flowgen_encoder_open(flowgen_encoder* encoder, const char* path,
                                         int32_t append);
/** Writes to a descriptor the caller owns (e.g. 1 for stdout). */
FLOWGEN_API int32_t flowgen_encoder_set_fd(flowgen_encoder* encoder, int32_t fd);

/** Encodes every record of the generator's current batch. Returns FLOWGEN_OK or an error
 *  (FLOWGEN_ERR_UNSUPPORTED for IPv6 in v5 unless skipping; FLOWGEN_ERR_IO on write). */
FLOWGEN_API int32_t flowgen_encoder_encode(flowgen_encoder* encoder,
                                           const flowgen_generator* generator);
/** Makes the generator's next batch of up to `max_records` records and encodes it: the
 *  bytes of flowgen_generator_next_batch() followed by flowgen_encoder_encode(), made faster
 *  with generation.threads > 1 for CSV and JSON Lines, where each worker thread encodes its
 *  own records and the merge only copies rows. Returns the number of records (0 when the
 *  generator is done) or a negative error (message in flowgen_encoder_error()). Afterwards
 *  the generator's current batch is unspecified: read records with next_batch instead. */
FLOWGEN_API int32_t flowgen_encoder_encode_next(flowgen_encoder* encoder,
                                                flowgen_generator* generator,
                                                uint32_t max_records);
/** Ends the output: JSON array close, last partial export packet, flush of the sink (and
 *  of the writer thread). After finish, encode returns FLOWGEN_ERR_STATE. */
FLOWGEN_API int32_t flowgen_encoder_finish(flowgen_encoder* encoder);
/** Flushes buffered bytes to the sink without ending the output (for checkpoints). */
FLOWGEN_API int32_t flowgen_encoder_flush(flowgen_encoder* encoder);

/** Buffer access when there is no sink. Data pointer valid until the next call. */
FLOWGEN_API const uint8_t* flowgen_encoder_data(const flowgen_encoder* encoder);
FLOWGEN_API uint32_t flowgen_encoder_size(const flowgen_encoder* encoder);
/** Number of complete packets in the buffer (packet formats) and their end offsets. */
FLOWGEN_API uint32_t flowgen_encoder_packet_count(const flowgen_encoder* encoder);
FLOWGEN_API const uint32_t* flowgen_encoder_packet_ends(const flowgen_encoder* encoder);
/** Drops the buffered bytes (and packets) after the caller has used them. */
FLOWGEN_API int32_t flowgen_encoder_consume(flowgen_encoder* encoder);

/* The type is flowgen_encoder_stats_t: a typedef named like the function
 * flowgen_encoder_stats() would clash with it in C and C++. */
typedef struct flowgen_encoder_stats_t {
  uint64_t records_encoded; /* records written (or buffered) */
  uint64_t records_skipped; /* IPv6 records skipped in v5 with SKIP_UNSUPPORTED */
  uint64_t packets;         /* export packets produced (packet formats) */
  uint64_t bytes;           /* bytes produced, sink or buffer, container included */
} flowgen_encoder_stats_t;
/** Fills *out. `size` must be sizeof(flowgen_encoder_stats_t). */
FLOWGEN_API int32_t flowgen_encoder_stats(const flowgen_encoder* encoder,
                                          flowgen_encoder_stats_t* out, uint32_t size);

/** Encoder state (header written, JSON separator, sequence numbers, template timers) for
 *  checkpoints, same protocol as flowgen_generator_checkpoint/restore. Save after
 *  flowgen_encoder_flush so that the blob matches the bytes on disk. */
FLOWGEN_API int32_t flowgen_encoder_checkpoint(const flowgen_encoder* encoder, uint8_t* buffer,
                                               uint32_t capacity, uint32_t* needed);
FLOWGEN_API int32_t flowgen_encoder_restore(flowgen_encoder* encoder, const uint8_t* blob,
                                            uint32_t size);

/* ---------------------------------------------------------------- UDP export */

/*
 * A UDP socket for sending export packets to a collector (loopback in tests). Send
 * failures such as ICMP port unreachable are counted, not fatal.
 */
typedef struct flowgen_udp flowgen_udp;
/** host: an IPv4/IPv6 literal or "localhost"; port 1..65535; source_port 0 = any. */
FLOWGEN_API int32_t flowgen_udp_open(const char* host, uint32_t port, uint32_t source_port,
                                     flowgen_udp** out, char* error, uint32_t error_capacity);
FLOWGEN_API void flowgen_udp_free(flowgen_udp* udp);
/** Sends every packet in the encoder's buffer, then consumes it. Returns packets sent. */
FLOWGEN_API int32_t flowgen_udp_send_encoded(flowgen_udp* udp, flowgen_encoder* encoder);
/** Packets that failed to send (e.g. connection refused). */
FLOWGEN_API uint32_t flowgen_udp_errors(const flowgen_udp* udp);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FLOWGEN_H */
