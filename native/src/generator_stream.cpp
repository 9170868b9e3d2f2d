#include "generator_stream.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "abi_guard.hpp"
#include "models_pattern_draw.hpp"
#include "record_math.hpp"

namespace flowgen::detail {
namespace {

// Source and destination of a record, either family.
struct Endpoints {
  uint8_t version = 4;
  uint32_t src4 = 0, dst4 = 0;
  uint8_t src6[16], dst6[16];
};

// kIpv6: some source is IPv6 (plan.ipv6_sources); else every record is IPv4.
template <bool kIpv6>
inline void draw_endpoints(const GenerationPlan& plan, Rng& rng, Endpoints& ep) noexcept {
  const Cidr& src = plan.sources[plan.source_pick.sample(rng.next())];
  if constexpr (!kIpv6) {
    const Cidr& dst = plan.destinations[0][plan.destination_pick[0].sample(rng.next())];
    const uint64_t r = rng.next();
    ep.version = 4;
    ep.src4 = src.v4_from(uint32_t(r));
    ep.dst4 = dst.v4_from(uint32_t(r >> 32));
    return;
  }
  const int family = src.version == 4 ? 0 : 1;
  const Cidr& dst = plan.destinations[family][plan.destination_pick[family].sample(rng.next())];
  ep.version = src.version;
  if (family == 0) {
    const uint64_t r = rng.next();
    ep.src4 = src.v4_from(uint32_t(r));
    ep.dst4 = dst.v4_from(uint32_t(r >> 32));
  } else {
    ep.src4 = ep.dst4 = 0;
    src.v6_into(rng, ep.src6);
    dst.v6_into(rng, ep.dst6);
  }
}

// floor(bytes / packets) capped at 65535 (packets >= 1), without a 64-bit integer division
// (tens of cycles): a double division is exact here. bytes < 2^53 and packets <= 2^20, so
// the rounded quotient keeps the integer part of any quotient below 65536 (a non-integer
// quotient is >= 1 / packets from an integer, far above the rounding error); larger
// quotients are capped anyway. One-packet flows divide too (by 1, exactly): a branch on
// the packet count, which is random, would be mispredicted often.
inline uint16_t mean_length(uint64_t bytes, uint32_t packets) noexcept {
  const double mean = double(int64_t(bytes)) / double(int32_t(packets));
  return static_cast<uint16_t>(int32_t(mean < 65535.0 ? mean : 65535.0));
}


}  // namespace

uint64_t ns_per_byte_q32(double gbps) {
  const double q = 8.0 / gbps * 4294967296.0;
  if (!(q >= 1.0) || q > 9.2e18)
    throw config_error("generation.rate.bandwidth_gbps: " + format_number(gbps) +
                       " per stream is out of the supported range");
  return static_cast<uint64_t>(std::llround(q));
}

GenerationPlan::GenerationPlan(const Config& c) : config(c), packet(build_packet_patterns(c)) {
  std::vector<double> weights;
  for (size_t i = 0; i < c.source_subnets.size(); ++i) {
    sources.push_back(c.source_subnets[i].cidr);
    ipv6_sources = ipv6_sources || sources.back().version == 6;
    weights.push_back(c.source_weights.empty() ? 1.0 : c.source_weights[i]);
  }
  source_pick.build(weights);
  for (int family = 0; family < 2; ++family) {
    weights.clear();
    for (size_t i = 0; i < c.destination_subnets.size(); ++i) {
      if (c.destination_subnets[i].cidr.version != (family == 0 ? 4 : 6)) continue;
      destinations[family].push_back(c.destination_subnets[i].cidr);
      weights.push_back(c.destination_weights.empty() ? 1.0 : c.destination_weights[i]);
    }
    double sum = 0;
    for (double w : weights) sum += w;
    if (sum > 0) destination_pick[family].build(weights);
  }
  if (!ipv6_sources)
    for (const Cidr& s : sources) source_v4.push_back(v4_range(s));
  for (const Cidr& d : destinations[0]) destination_v4.push_back(v4_range(d));
  packet_fast_path = true;
  bool any_response = false;
  for (size_t i = 0; i < c.patterns.size(); ++i) {
    const std::string key = "traffic_patterns[" + std::to_string(i) + "]";
    pattern_names.push_back(c.patterns[i].name);
    const bool flow = pattern_flow_model(c, i) == FLOWGEN_MODEL_FLOW;
    flow_models.push_back(flow ? make_pattern_model(c.patterns[i], c.sizes, key) : nullptr);
    const double p = pattern_bidirectional(c, i);
    response_threshold.push_back(uint64_t(std::llround(p * 4294967296.0)));
    any_response = any_response || p > 0;
    packet_fast_path = packet_fast_path && !flow && p == 0;
  }
  if (any_response) {
    rtt_ms = scalar_sampler(c.rtt_ms, "generation.bidirectional.rtt_ms");
  }
}

RecordStream::RecordStream(const GenerationPlan& plan, const StreamSetup& setup)
    : plan_(plan),
      setup_(setup),
      limit_(setup.limit),
      pending_(plan.config.max_pending) {}

void RecordStream::rewind(uint64_t seed, uint64_t start_ns) {
  start_ns_ = start_ns;
  rng_ = Rng(seed, setup_.rng_stream);
  timeline_q32_ = 0;
  produced_ = 0;
  flow_sequence_ = 0;
  pending_sequence_ = 0;
  pending_.clear();
}

uint32_t RecordStream::fill(Batch& out, uint32_t at, uint32_t n, ColumnSet columns) {
  if (plan_.packet_fast_path) return fill_packets(out, at, n, columns);  // seconds included
  n = plan_.ipv6_sources ? fill_general<true>(out, at, n) : fill_general<false>(out, at, n);
  if (columns == ColumnSet::lean) return n;
  // The seconds column once per fill, from the nanoseconds (a vectorised pass), instead of
  // a division per record.
  seconds_column(out.timestamp_ns.data() + at, out.timestamp_s.data() + at, n);
  return n;
}

void RecordStream::prepare(Batch& b) const {
  if (!plan_.packet_fast_path) return;
  std::fill(b.duration_ns.begin(), b.duration_ns.end(), 0);
  std::fill(b.packets.begin(), b.packets.end(), 1);
  std::fill(b.direction.begin(), b.direction.end(), 0);
  if (!plan_.ipv6_sources) std::fill(b.ip_version.begin(), b.ip_version.end(), 4);
}

// Raw column pointers of a batch, loaded once per fill. Stores through the uint8_t columns
// may alias anything, so the Batch's vectors would be reloaded after every byte store;
// a local copy whose address never escapes is known not to be aliased.
struct BatchColumns {
  explicit BatchColumns(Batch& b)
      : timestamp_ns(b.timestamp_ns.data()),
        duration_ns(b.duration_ns.data()),
        src_ip4(b.src_ip4.data()),
        dst_ip4(b.dst_ip4.data()),
        bytes(b.bytes.data()),
        flow_id(b.flow_id.data()),
        packets(b.packets.data()),
        src_port(b.src_port.data()),
        dst_port(b.dst_port.data()),
        length(b.length.data()),
        ip_version(b.ip_version.data()),
        protocol(b.protocol.data()),
        tcp_flags(b.tcp_flags.data()),
        direction(b.direction.data()),
        pattern(b.pattern.data()),
        src_ip6(b.src_ip6.data()),
        dst_ip6(b.dst_ip6.data()) {}
  uint64_t* timestamp_ns;
  uint64_t* duration_ns;
  uint32_t* src_ip4;
  uint32_t* dst_ip4;
  uint64_t* bytes;
  uint64_t* flow_id;
  uint32_t* packets;
  uint16_t* src_port;
  uint16_t* dst_port;
  uint16_t* length;
  uint8_t* ip_version;
  uint8_t* protocol;
  uint8_t* tcp_flags;
  uint8_t* direction;
  uint8_t* pattern;
  uint8_t* src_ip6;
  uint8_t* dst_ip6;
};

// Flow mode and/or bidirectional: requests at the timeline position, responses from the
// pending queue as soon as they are due, so that output stays in timestamp order. When the
// queue is full its earliest response goes out first (the only case where a response may
// precede its due time's neighbours; size max_pending above RTT x record rate to avoid it).
template <bool kIpv6>
uint32_t RecordStream::fill_general(Batch& b, uint32_t at, uint32_t n) {
  const BatchColumns c(b);
  // The bounds in locals (members are reloaded after every byte store to a column).
  const u128 clock_end = clock_end_q32(start_ns_);
  const uint64_t limit = limit_;
  Cursor k{rng_, timeline_q32_, produced_, flow_sequence_, pending_sequence_};
  uint32_t i = at;
  const uint32_t end = at + n;
  while (i < end) {
    const bool can_request = k.produced < limit && k.timeline_q32 < clock_end;
    if (!pending_.empty() &&
        (!can_request || pending_.full() || pending_.top_timestamp() <= now_ns(k))) {
      emit_pending(c, i++);
      continue;
    }
    if (!can_request) break;
    generate_request<kIpv6>(c, i++, k);
  }
  rng_ = k.rng;
  timeline_q32_ = k.timeline_q32;
  produced_ = k.produced;
  flow_sequence_ = k.flow_sequence;
  pending_sequence_ = k.pending_sequence;
  return i - at;
}

// Inlined into fill_general, so that the column pointers stay in registers.
template <bool kIpv6>
[[gnu::always_inline]] inline void RecordStream::generate_request(const BatchColumns& c,
                                                                  uint32_t i, Cursor& k) {
  Rng& rng = k.rng;
  const uint64_t ts = now_ns(k);
  const PacketEntry& e = plan_.packet.entries[plan_.packet.pick.sample(rng.next())];
  const uint8_t pattern = e.pattern;
  Endpoints ep;
  draw_endpoints<kIpv6>(plan_, rng, ep);
  const uint64_t rp = rng.next();
  FlowShape shape;
  const PatternModel* model = plan_.flow_models[pattern].get();
  uint16_t src_port;
  if (model) {
    model->draw_request(rng, shape);
    const bool has_ports = shape.protocol == kTcp || shape.protocol == kUdp;
    src_port = has_ports ? uint16_t(49152 + mul_shift(uint32_t(rp), 16384)) : 0;
  } else {
    const uint64_t rl = rng.next();
    shape.dst_port = uint16_t(e.dst_port_base + mul_shift(uint32_t(rp >> 32), e.dst_port_span));
    shape.protocol = e.protocol;
    shape.tcp_flags = uint8_t(e.flags_base | (e.flags_random & uint8_t((rl & 1) << 3)));
    shape.packets = 1;
    shape.bytes = e.length_from(uint32_t(rl));
    shape.duration_ns = 0;
    src_port = uint16_t(e.src_port_base + mul_shift(uint32_t(rp), e.src_port_span));
  }
  const uint16_t icmp4_type_code = shape.dst_port;  // before the ICMPv6 translation
  const bool icmp_translated = kIpv6 && ep.version == 6 && shape.protocol == kIcmp;
  if (icmp_translated) {
    shape.protocol = kIcmp6;
    shape.dst_port = icmp6_type_code(shape.dst_port);
  }
  const uint64_t flow_id = (k.flow_sequence++) * setup_.id_stride + setup_.id_offset;
  ++k.produced;
  // Timeline: every record's bytes advance it, the response's too (at creation), so the
  // bytes of requests and responses together match the bandwidth.
  advance(k, shape.bytes);

  // The response first (into its pending slot), the request's columns last: byte stores
  // may alias the stream's members, which are then reloaded.
  const uint64_t threshold = plan_.response_threshold[pattern];
  if (threshold != 0 && k.produced < limit_ && (rng.next() >> 32) < threshold) {
    FlowShape resp;
    if (model) {
      model->draw_response(rng, shape, resp);
    } else {
      const uint64_t rl = rng.next();
      resp = shape;
      resp.tcp_flags = uint8_t(e.flags_base | (e.flags_random & uint8_t((rl & 1) << 3)));
      resp.bytes = e.length_from(uint32_t(rl));
    }
    // rtt_ms * 1e6 is in [0, 1e12]: round half up by a signed conversion (exact there).
    const double rtt_ms = std::min(1e6, std::max(0.0, plan_.rtt_ms.sample(rng)));
    const bool has_ports = shape.protocol == kTcp || shape.protocol == kUdp;
    uint16_t resp_dst_port = src_port;
    if (!has_ports) {
      // ICMP: the reply's type/code (from the model; packet mode answers an echo request
      // with an echo reply), translated like the request for IPv6.
      uint16_t code = model ? resp.dst_port : icmp4_type_code;
      if (!model && code == (8 << 8)) code = 0;
      resp_dst_port = icmp_translated ? icmp6_type_code(code) : code;
    }
    const uint64_t rtt_ns = uint64_t(int64_t(rtt_ms * 1e6 + 0.5));
    if (rtt_ns <= UINT64_MAX - ts) {  // else due after the end of the clock: not created
      PendingRecord& r = pending_.reserve();
      r.timestamp_ns = ts + rtt_ns;
      r.duration_ns = resp.duration_ns;
      r.bytes = resp.bytes;
      r.flow_id = flow_id;
      r.sequence = k.pending_sequence++;
      r.src_ip4 = ep.dst4;
      r.dst_ip4 = ep.src4;
      r.packets = resp.packets;
      r.src_port = has_ports ? shape.dst_port : 0;
      r.dst_port = resp_dst_port;
      r.length = mean_length(resp.bytes, resp.packets);
      r.ip_version = ep.version;
      r.protocol = shape.protocol;
      r.tcp_flags = shape.protocol == kTcp ? resp.tcp_flags : 0;
      r.pattern = pattern;
      if (kIpv6 && ep.version == 6) {
        std::memcpy(r.src_ip6, ep.dst6, 16);
        std::memcpy(r.dst_ip6, ep.src6, 16);
      }
      pending_.commit();
      ++k.produced;
      advance(k, resp.bytes);
    }
  }

  c.timestamp_ns[i] = ts;
  c.duration_ns[i] = shape.duration_ns;
  c.src_ip4[i] = ep.src4;
  c.dst_ip4[i] = ep.dst4;
  c.bytes[i] = shape.bytes;
  c.flow_id[i] = flow_id;
  c.packets[i] = shape.packets;
  c.src_port[i] = src_port;
  c.dst_port[i] = shape.dst_port;
  c.length[i] = mean_length(shape.bytes, shape.packets);
  c.ip_version[i] = ep.version;
  c.protocol[i] = shape.protocol;
  c.tcp_flags[i] = shape.tcp_flags;
  c.direction[i] = 0;
  c.pattern[i] = pattern;
  if (kIpv6 && ep.version == 6) {
    std::memcpy(c.src_ip6 + size_t(i) * 16, ep.src6, 16);
    std::memcpy(c.dst_ip6 + size_t(i) * 16, ep.dst6, 16);
  }
}

[[gnu::always_inline]] inline void RecordStream::emit_pending(const BatchColumns& c,
                                                              uint32_t i) {
  const PendingRecord& r = pending_.top();
  c.timestamp_ns[i] = r.timestamp_ns;
  c.duration_ns[i] = r.duration_ns;
  c.src_ip4[i] = r.src_ip4;
  c.dst_ip4[i] = r.dst_ip4;
  c.bytes[i] = r.bytes;
  c.flow_id[i] = r.flow_id;
  c.packets[i] = r.packets;
  c.src_port[i] = r.src_port;
  c.dst_port[i] = r.dst_port;
  c.length[i] = r.length;
  c.ip_version[i] = r.ip_version;
  c.protocol[i] = r.protocol;
  c.tcp_flags[i] = r.tcp_flags;
  c.direction[i] = 1;
  c.pattern[i] = r.pattern;
  if (r.ip_version == 6) {
    std::memcpy(c.src_ip6 + size_t(i) * 16, r.src_ip6, 16);
    std::memcpy(c.dst_ip6 + size_t(i) * 16, r.dst_ip6, 16);
  }
  pending_.pop();
}

void RecordStream::save(ByteWriter& w) const {
  w.u64(start_ns_);
  w.u64(rng_.state());
  w.u64(uint64_t(timeline_q32_ >> 64));
  w.u64(uint64_t(timeline_q32_));
  w.u64(produced_);
  w.u64(flow_sequence_);
  w.u64(pending_sequence_);
  pending_.save(w);
}

void RecordStream::load(ByteReader& r) {
  start_ns_ = r.u64();
  rng_.set_state(r.u64());
  const uint64_t hi = r.u64(), lo = r.u64();
  timeline_q32_ = (static_cast<u128>(hi) << 64) | lo;
  produced_ = r.u64();
  flow_sequence_ = r.u64();
  pending_sequence_ = r.u64();
  pending_.load(r);
  check_loaded();
}

// The blob's checksum only proves it was sealed, not that a generator wrote it: a state
// that breaks the counters' invariants could make fill() produce nothing forever (a
// worker lane would then spin) or index past the plan's tables, so refuse it here.
void RecordStream::check_loaded() const {
  const auto bad = [](const std::string& why) {
    throw Error(FLOWGEN_ERR_CHECKPOINT, "generator checkpoint: corrupt stream state (" + why + ")");
  };
  if (produced_ > limit_)
    bad(std::to_string(produced_) + " records produced, the limit is " + std::to_string(limit_));
  // Every record is a request (flow_sequence_) or a response (pending_sequence_).
  if (pending_sequence_ > produced_ || flow_sequence_ != produced_ - pending_sequence_)
    bad("record counters disagree");
  if (pending_.size() > pending_sequence_) bad("more pending responses than responses");
  // Pending records are emitted as they are: check what the columns' readers index by.
  pending_.for_each([&](const PendingRecord& p) {
    if (p.sequence >= pending_sequence_) bad("pending response sequence out of range");
    if (p.pattern >= plan_.pattern_names.size()) bad("pending response pattern out of range");
    if (p.ip_version != 4 && p.ip_version != 6) bad("pending response IP version");
  });
}

namespace {

// Copies N columns of one element type in a single pass: the lane and index of a record
// are loaded once for all N columns (per-column passes reloaded them for every column).
template <typename T, size_t N>
void gather_columns(std::vector<T> Batch::* const (&columns)[N], const Batch* const* sources,
                    uint32_t lanes, const uint8_t* lane, const uint32_t* index, uint32_t count,
                    Batch& out, uint32_t at) noexcept {
  const T* from[256][N];
  T* to[N];
  for (size_t c = 0; c < N; ++c) {
    for (uint32_t l = 0; l < lanes; ++l) from[l][c] = (sources[l]->*columns[c]).data();
    to[c] = (out.*columns[c]).data() + at;
  }
  for (uint32_t k = 0; k < count; ++k) {
    const T* const* src = from[lane[k]];
    const uint32_t i = index[k];
    for (size_t c = 0; c < N; ++c) to[c][k] = src[c][i];
  }
}

}  // namespace

void gather_records(const Batch* const* sources, const uint8_t* lane, const uint32_t* index,
                    uint32_t count, Batch& out, uint32_t at,
                    uint32_t lanes, bool constant_packet_columns) noexcept {
  static constexpr std::vector<uint8_t> Batch::*kBytes[] = {&Batch::ip_version, &Batch::protocol,
                                                            &Batch::tcp_flags, &Batch::pattern};
  static constexpr std::vector<uint16_t> Batch::*kShorts[] = {&Batch::src_port, &Batch::dst_port,
                                                              &Batch::length};
  static constexpr std::vector<uint32_t> Batch::*kWords[] = {&Batch::src_ip4, &Batch::dst_ip4};
  static constexpr std::vector<uint64_t> Batch::*kLongs[] = {&Batch::bytes, &Batch::flow_id};
  static constexpr std::vector<double> Batch::*kDoubles[] = {&Batch::timestamp_s};
  gather_columns(kDoubles, sources, lanes, lane, index, count, out, at);
  gather_columns(kLongs, sources, lanes, lane, index, count, out, at);
  gather_columns(kWords, sources, lanes, lane, index, count, out, at);
  gather_columns(kShorts, sources, lanes, lane, index, count, out, at);
  gather_columns(kBytes, sources, lanes, lane, index, count, out, at);
  if (!constant_packet_columns) {
    static constexpr std::vector<uint64_t> Batch::*kDuration[] = {&Batch::duration_ns};
    static constexpr std::vector<uint32_t> Batch::*kPackets[] = {&Batch::packets};
    static constexpr std::vector<uint8_t> Batch::*kDirection[] = {&Batch::direction};
    gather_columns(kDuration, sources, lanes, lane, index, count, out, at);
    gather_columns(kPackets, sources, lanes, lane, index, count, out, at);
    gather_columns(kDirection, sources, lanes, lane, index, count, out, at);
  }
  // IPv6 addresses only where the record is IPv6 (the column is unspecified otherwise).
  const uint8_t* version = out.ip_version.data() + at;
  for (uint32_t k = 0; k < count; ++k) {
    if (version[k] != 6) continue;
    const Batch& from = *sources[lane[k]];
    const size_t src = size_t(index[k]) * 16, dst = (size_t(at) + k) * 16;
    std::memcpy(out.src_ip6.data() + dst, from.src_ip6.data() + src, 16);
    std::memcpy(out.dst_ip6.data() + dst, from.dst_ip6.data() + src, 16);
  }
}

}  // namespace flowgen::detail
