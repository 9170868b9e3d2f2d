// GenerationPlan and RecordStream: the single-threaded heart of the generator.
//
// A GenerationPlan is the immutable, compiled form of a validated config (alias tables,
// packet patterns, flow models, timing constants), shared by every stream of a generator.
// A RecordStream is one deterministic sequence of records (one RNG stream, one timeline):
// a generator has one, or one per worker thread (generator.cpp merges them).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alias_table.hpp"
#include "batch.hpp"
#include "checkpoint.hpp"
#include "cidr.hpp"
#include "config.hpp"
#include "distributions.hpp"
#include "flow_model.hpp"
#include "models_pattern.hpp"
#include "packet_patterns.hpp"
#include "pending_responses.hpp"
#include "rng.hpp"

namespace flowgen::detail {

// 128-bit timeline arithmetic (GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ typedef unsigned __int128 u128;

// The clock ends at 2^64 - 1 ns (year 2554). The first timeline position (Q32.32 ns since
// `start_ns`) past it: (2^64 - start_ns) << 32, at most 2^96. A loop compares against it
// once per record (past_clock_end computed per record costs a shift more).
inline u128 clock_end_q32(uint64_t start_ns) noexcept {
  return (u128(UINT64_MAX - start_ns) + 1) << 32;
}
// True when `timeline_q32` is past the end of the clock, so that no record may start there.
inline bool past_clock_end(uint64_t start_ns, u128 timeline_q32) noexcept {
  return timeline_q32 >= clock_end_q32(start_ns);
}

struct GenerationPlan {
  explicit GenerationPlan(const Config& config);

  Config config;
  PacketPatterns packet;
  std::vector<Cidr> sources;
  AliasTable source_pick;
  std::vector<Cidr> destinations[2];  // [0] IPv4, [1] IPv6
  AliasTable destination_pick[2];     // empty when the family has no destination
  std::vector<V4Range> source_v4;       // v4_range of sources (when all are IPv4)
  std::vector<V4Range> destination_v4;  // v4_range of destinations[0]
  std::vector<std::unique_ptr<PatternModel>> flow_models;  // null for packet-mode patterns
  std::vector<uint64_t> response_threshold;  // per pattern: P(response) in 2^-32 units
  Sampler rtt_ms;  // fixed 0 without bidirectional patterns (then never drawn)
  std::vector<std::string> pattern_names;
  bool packet_fast_path = false;  // all patterns packet mode and no responses
  bool ipv6_sources = false;      // some source subnet is IPv6 (else the IPv4-only loops)
};

struct BatchColumns;  // raw column pointers (generator_stream.cpp)

// Where a stream sits among its siblings (shards and threads).
struct StreamSetup {
  uint64_t rng_stream = 0;  // Rng(seed, rng_stream)
  uint64_t id_offset = 0;   // flow id = sequence * id_stride + id_offset: unique overall
  uint64_t id_stride = 1;
  uint64_t limit = UINT64_MAX;  // records this stream produces
  uint64_t ns_per_byte_q32 = 0;  // timeline step per byte, Q32.32 nanoseconds
};

class RecordStream {
 public:
  RecordStream(const GenerationPlan& plan, const StreamSetup& setup);

  // Back to the first record for this seed and start.
  void rewind(uint64_t seed, uint64_t start_ns);
  // Sets the columns that are constant in packet mode (duration 0, packets 1, direction 0,
  // and IP version 4 when every source is IPv4) once, so that the fast path does not store
  // them for every record. Call it on every batch the stream will fill, after allocation.
  void prepare(Batch& out) const;
  // Writes up to n records at out[at...]; returns how many (fewer only at the limit or the
  // end of the clock). With ColumnSet::lean the packet fast path skips the columns it names.
  uint32_t fill(Batch& out, uint32_t at, uint32_t n, ColumnSet columns = ColumnSet::all);
  // Done: every record produced (or the clock at its end) and no response waiting.
  bool finished() const noexcept {
    return (produced_ >= limit_ || out_of_time()) && pending_.empty();
  }
  // True when the next request's timestamp would pass the end of the clock
  // (past_clock_end). Requests stop there, responses due later are not created.
  bool out_of_time() const noexcept { return past_clock_end(start_ns_, timeline_q32_); }
  // Finished because of the end of the clock (not the limit): nothing more, ever.
  bool clock_ended() const noexcept { return out_of_time() && pending_.empty(); }
  size_t pending() const noexcept { return pending_.size(); }

  void save(ByteWriter& w) const;
  void load(ByteReader& r);

 private:
  uint32_t fill_packets(Batch& out, uint32_t at, uint32_t n, ColumnSet columns);
  void fill_mixed_addresses(Batch& out, uint32_t at, uint32_t end, uint64_t block) const;
  void fill_ipv6(Batch& out, uint32_t i, const Cidr& src, uint32_t r_dst_subnet,
                 uint64_t block) const;
  // kIpv6 = plan_.ipv6_sources: without IPv6 sources no record tests its family.
  template <bool kIpv6>
  uint32_t fill_general(Batch& out, uint32_t at, uint32_t n);
  void check_loaded() const;
  // The general path's mutable counters, copied into a local for a fill: members are
  // reloaded and stored around every byte store to a column (which may alias them), a
  // local whose address never escapes stays in registers.
  struct Cursor {
    Rng rng;
    u128 timeline_q32;
    uint64_t produced;
    uint64_t flow_sequence;
    uint64_t pending_sequence;
  };
  uint64_t now_ns(const Cursor& k) const noexcept {
    return start_ns_ + uint64_t(k.timeline_q32 >> 32);
  }
  void advance(Cursor& k, uint64_t bytes) const noexcept {
    k.timeline_q32 += static_cast<u128>(bytes) * setup_.ns_per_byte_q32;
  }
  template <bool kIpv6>
  void generate_request(const BatchColumns& out, uint32_t i, Cursor& k);
  void emit_pending(const BatchColumns& out, uint32_t i);

  const GenerationPlan& plan_;
  StreamSetup setup_;
  uint64_t limit_;
  uint64_t start_ns_ = 0;
  Rng rng_;
  u128 timeline_q32_ = 0;  // ns since start, Q32.32: no drift over 1e9 records
  uint64_t produced_ = 0;               // records created (emitted or pending)
  uint64_t flow_sequence_ = 0;
  uint64_t pending_sequence_ = 0;
  PendingResponses pending_;
};

// Q32.32 nanoseconds per byte at `gbps` (bytes * 8 / gbps ns); throws if out of range.
uint64_t ns_per_byte_q32(double gbps);

// Copies records from several batches into out[at, at + count): record k is
// sources[lane[k]] at index[k] (lane[k] < lanes). Columns of one type in one pass through
// raw pointers (a per-record copy of every column reloads the column pointers after each
// byte store: aliasing). timestamp_ns is not copied (the merge writes it while ordering);
// with `constant_packet_columns` neither are duration_ns, packets and direction (packet
// fast path: every batch holds the constants set by RecordStream::prepare).
void gather_records(const Batch* const* sources, const uint8_t* lane, const uint32_t* index,
                    uint32_t count, Batch& out, uint32_t at, uint32_t lanes,
                    bool constant_packet_columns) noexcept;

}  // namespace flowgen::detail
