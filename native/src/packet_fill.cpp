// RecordStream::fill_packets: the brief's packet mode, the engine's hottest loop.
#include <cstddef>
#include <cstring>

#include "generator_stream.hpp"
#include "packet_draws.hpp"
#include "record_math.hpp"

namespace flowgen::detail {

namespace {

// Every record owns a block of kDrawsPerRecord consecutive draws of the stream's counter
// RNG (Rng::mix of state + k * increment), whatever it uses of them, so each pass below
// computes its draws from the record's position: passes stay independent of each other
// and of batch bounds, and each loop keeps its few pointers in registers.
constexpr uint64_t kDrawsPerRecord = 7;
enum Slot : uint64_t {
  kWhat = 1,       // entry (low half: pattern, ports' ranges, length part), length (high)
  kPorts = 2,      // source port (low half), destination port (high half)
  kSubnets = 3,    // source subnet (low half), destination subnet (high half)
  kAddresses = 4,  // IPv4: source (low half), destination (high half); IPv6: source high
  kSource6Low = 5,
  kDestination6High = 6,
  kDestination6Low = 7,
};
constexpr uint64_t kRecordStep = kDrawsPerRecord * Rng::kIncrement;

inline uint64_t draw(uint64_t block, Slot slot) noexcept {
  return Rng::mix(block + slot * Rng::kIncrement);
}

// The state of a record's draw from the previous record's: the step is added from memory,
// as x86 has no 64-bit immediate operand for add, and a loop holding the constant in a
// register spills a column pointer.
#if defined(__x86_64__) && defined(__GNUC__)
const uint64_t kRecordStepInMemory = kRecordStep;

inline uint64_t next_record(uint64_t state) noexcept {
  __asm__("addq %1, %0" : "+r"(state) : "m"(kRecordStepInMemory) : "cc");
  return state;
}
#else
inline uint64_t next_record(uint64_t state) noexcept { return state + kRecordStep; }
#endif

inline uint32_t high(uint64_t r) noexcept { return uint32_t(r >> 32); }

inline uint32_t v4_from(const V4Range& range, uint32_t r) noexcept {
  return range.first + mul_high32(r, range.count);
}

// The loops below run k from -(records) up to 0 on column pointers set past their end:
// one counter serves as index and loop test, and no end bound takes a register.
inline ptrdiff_t first_index(uint32_t at, uint32_t end) noexcept {
  return ptrdiff_t(at) - ptrdiff_t(end);
}

// pick.sample32_fast of a half of r = mix(state), for the entry and subnet picks: the rare
// full path draws r again from the state, so that the loop keeps no copy of r for it (in
// fill_what, a copy for the call cost an instruction per record).
template <bool kHighHalf>
inline uint32_t half(uint64_t r) noexcept {
  return kHighHalf ? high(r) : uint32_t(r);
}

template <bool kHighHalf>
[[gnu::cold, gnu::noinline]] size_t pick_half_cold(const AliasView& pick,
                                                     uint64_t state) noexcept {
  return pick.sample32(half<kHighHalf>(mix_at<0>(state)));
}

template <bool kHighHalf>
inline size_t pick_half(const AliasView& pick, uint64_t r, uint64_t state) noexcept {
  const size_t index = pick.shortcut[half<kHighHalf>(r) >> (32 - kShortcutBits)];
  if (__builtin_expect(index != kShortcutMixed, 1)) return index;
  return pick_half_cold<kHighHalf>(pick, state);
}

// What: one alias draw picks pattern, protocol, port ranges and length part.
struct WhatColumns {
  uint16_t* sport;
  uint16_t* dport;
  uint8_t* proto;
  uint8_t* flags;
  uint16_t* length;
  uint8_t* pattern;
};

// One record; `state` is its kWhat draw's. The ports' draw comes after the entry pick, so
// that it is used while still in rax. kLean leaves out the flags and pattern columns.
template <bool kLean>
[[gnu::always_inline]] inline void what_one(const PacketEntry* entries, const AliasView& pick,
                                            const WhatColumns& c, ptrdiff_t k,
                                            uint64_t state) noexcept {
  const uint64_t rw = mix_at<0>(state);
  const PacketEntry& e = entries[pick_half<false>(pick, rw, state)];
  const uint64_t rp = mix_at<kPorts - kWhat>(state);
  c.sport[k] = uint16_t(e.src_port_base + mul_high32(uint32_t(rp), e.src_port_span));
  c.dport[k] = uint16_t(e.dst_port_base + mul_high32(high(rp), e.dst_port_span));
  c.length[k] = uint16_t(e.length_base + mul_high32(high(rw), e.length_span));
  // PSH on about half of the TCP packets: the length word's lowest bit, which barely
  // moves the multiply-shift above.
  if (!kLean) c.flags[k] = uint8_t(e.flags_base | (e.flags_random & uint8_t(high(rw) << 3)));
  c.proto[k] = e.protocol;
  if (!kLean) c.pattern[k] = e.pattern;
}

template <bool kLean>
void fill_what(const PacketPatterns& packet, Batch& b, uint32_t at, uint32_t end,
               uint64_t block) noexcept {
  const PacketEntry* const entries = packet.entries.data();
  const AliasView pick = packet.pick.view();
  const WhatColumns c{b.src_port.data() + end, b.dst_port.data() + end,
                      b.protocol.data() + end, b.tcp_flags.data() + end,
                      b.length.data() + end,   b.pattern.data() + end};
  uint64_t state = block + kWhat * Rng::kIncrement;
  ptrdiff_t k = first_index(at, end);
  if ((end - at) & 1) {
    what_one<kLean>(entries, pick, c, k++, state);
    state = next_record(state);
  }
  // Two records per iteration: one update of the loop's counter for both.
  for (; k != 0; k += 2) {
    what_one<kLean>(entries, pick, c, k, state);
    state = next_record(state);
    what_one<kLean>(entries, pick, c, k + 1, state);
    state = next_record(state);
  }
}

// Where, when every source is IPv4 (the common case): no family test per record, and a
// single subnet (or destination subnet) costs no draw or lookup at all. The version
// column is the constant 4 then (RecordStream::prepare).
template <bool kOneSource, bool kOneDestination>
void fill_v4_addresses(const GenerationPlan& plan, Batch& b, uint32_t at, uint32_t end,
                       uint64_t block) noexcept {
  constexpr bool kNoSubnetDraw = kOneSource && kOneDestination;
  const V4Range* const sources = plan.source_v4.data();
  const AliasView source_pick = plan.source_pick.view();
  const V4Range* const destinations = plan.destination_v4.data();
  const AliasView destination_pick = plan.destination_pick[0].view();
  uint32_t* const src4_col = b.src_ip4.data() + end;
  uint32_t* const dst4_col = b.dst_ip4.data() + end;
  // The state of the first draw used: subnets, or addresses when no subnet is drawn.
  uint64_t state = block + (kNoSubnetDraw ? kAddresses : kSubnets) * Rng::kIncrement;
#pragma GCC unroll 2
  for (ptrdiff_t k = first_index(at, end); k != 0; ++k, state = next_record(state)) {
    const uint64_t rs = kNoSubnetDraw ? 0 : mix_at<0>(state);
    const uint64_t ra = mix_at<kNoSubnetDraw ? 0 : kAddresses - kSubnets>(state);
    const V4Range& src =
        kOneSource ? sources[0] : sources[pick_half<false>(source_pick, rs, state)];
    const V4Range& dst = kOneDestination
                             ? destinations[0]
                             : destinations[pick_half<true>(destination_pick, rs, state)];
    src4_col[k] = v4_from(src, uint32_t(ra));
    dst4_col[k] = v4_from(dst, high(ra));
  }
}

// When: each record starts where the previous one's bytes end; flow ids count. The
// timeline is Q32.32 nanoseconds (u128, so that it never drifts nor overflows).
struct When {
  u128 timeline;
  uint64_t start_ns, step_q32, id, id_stride;
};

constexpr uint64_t kMaxLength = 65535;

// How many of `n` records the fast form below can take: their timeline offsets from the
// current nanosecond must fit 64 bits, and their timestamps must stay below 2^63 (a signed
// conversion to double is then the exact double(ns)). 0 when it cannot take any.
uint32_t fast_when_records(const When& w, uint32_t n) noexcept {
  const u128 per_record = u128(kMaxLength) * w.step_q32;
  const u128 room = u128(UINT64_MAX) - uint64_t(w.timeline & 0xffffffffu);
  // A step of 0 (a default StreamSetup) never moves the timeline.
  const u128 fit = per_record == 0 ? n : room / per_record;
  const uint32_t m = fit < n ? uint32_t(fit) : n;
  const u128 last_ns = u128(w.start_ns) + ((w.timeline + u128(m) * per_record) >> 32);
  return last_ns < (u128(1) << 63) ? m : 0;
}

// The fast form: a 64-bit offset from the current nanosecond, and the seconds column in
// the same pass (double(ns) / 1e9 per record, exactly what seconds_column computes).
// kLean leaves out the seconds, bytes and flow id columns.
template <bool kLean>
void fill_when_fast(When& w, Batch& b, uint32_t at, uint32_t end) noexcept {
  const uint64_t step = w.step_q32, stride = w.id_stride;
  const uint64_t ns0 = w.start_ns + uint64_t(w.timeline >> 32);
  uint64_t offset = uint64_t(w.timeline & 0xffffffffu), id = w.id;
  const uint16_t* const length_col = b.length.data() + end;
  uint64_t* const ts_col = b.timestamp_ns.data() + end;
  double* const seconds_col = b.timestamp_s.data() + end;
  uint64_t* const bytes_col = b.bytes.data() + end;
  uint64_t* const id_col = b.flow_id.data() + end;
#pragma GCC unroll 2
  for (ptrdiff_t k = first_index(at, end); k != 0; ++k) {
    const uint64_t len = length_col[k];
    const uint64_t ns = ns0 + (offset >> 32);
    ts_col[k] = ns;
    if (!kLean) {
      seconds_col[k] = double(int64_t(ns)) / 1e9;
      bytes_col[k] = len;
      id_col[k] = id;
      id += stride;
    }
    offset += len * step;
  }
  w.timeline = ((w.timeline >> 32) << 32) + offset;
  w.id += uint64_t(end - at) * stride;
}

// The general form (timestamps near 2^63 and beyond, or huge steps per byte). Stops before
// the first record whose timestamp would pass 2^64 - 1 ns (the end of the clock); returns
// the end of the records it timed.
uint32_t fill_when_wide(When& w, Batch& b, uint32_t at, uint32_t end) noexcept {
  const uint64_t step = w.step_q32, start = w.start_ns, stride = w.id_stride;
  u128 timeline = w.timeline;
  uint64_t id = w.id;
  const uint16_t* const length_col = b.length.data();
  uint64_t* const ts_col = b.timestamp_ns.data();
  uint64_t* const bytes_col = b.bytes.data();
  uint64_t* const id_col = b.flow_id.data();
  uint32_t i = at;
  for (; i < end && !past_clock_end(start, timeline); ++i) {
    const uint16_t len = length_col[i];
    ts_col[i] = start + uint64_t(timeline >> 32);
    bytes_col[i] = len;
    id_col[i] = id;
    id += stride;
    timeline += static_cast<u128>(len) * step;
  }
  seconds_column(ts_col + at, b.timestamp_s.data() + at, i - at);
  w.timeline = timeline;
  w.id = id;
  return i;
}

// Times records [at, end); returns the end of those timed (less than `end` only at the end
// of the clock). The rare wide form always writes every column.
template <bool kLean>
uint32_t fill_when(When& w, Batch& b, uint32_t at, uint32_t end) noexcept {
  while (at < end) {
    const uint32_t m = fast_when_records(w, end - at);
    if (m == 0) return fill_when_wide(w, b, at, end);
    fill_when_fast<kLean>(w, b, at, at + m);
    at += m;
  }
  return end;
}

}  // namespace

// The brief's packet mode without responses, in three passes over the batch: what each
// record is (pattern, ports, protocol, flags, length), where it goes (addresses) and when
// (timeline, seconds, bytes, flow ids). Column pointers and state live in locals: stores
// through uint8_t columns may alias anything and would otherwise force reloads of every
// member after each byte written.
uint32_t RecordStream::fill_packets(Batch& b, uint32_t at, uint32_t n, ColumnSet columns) {
  const bool lean = columns == ColumnSet::lean;
  const uint64_t left = limit_ - produced_;
  if (left < n) n = uint32_t(left);
  const uint32_t end = at + n;
  const uint64_t first_block = rng_.state();

  (lean ? fill_what<true> : fill_what<false>)(plan_.packet, b, at, end, first_block);

  // Where: subnets by weight, then a host in each.
  if (plan_.ipv6_sources) {
    fill_mixed_addresses(b, at, end, first_block);
  } else {
    const bool one_source = plan_.sources.size() == 1;
    const bool one_destination = plan_.destinations[0].size() == 1;
    const auto fill = one_source ? (one_destination ? fill_v4_addresses<true, true>
                                                    : fill_v4_addresses<true, false>)
                                 : (one_destination ? fill_v4_addresses<false, true>
                                                    : fill_v4_addresses<false, false>);
    fill(plan_, b, at, end, first_block);
  }

  When when{timeline_q32_, start_ns_, setup_.ns_per_byte_q32,
            flow_sequence_ * setup_.id_stride + setup_.id_offset, setup_.id_stride};
  // Fewer than n only at the end of the clock, where the stream ends (out_of_time).
  n = (lean ? fill_when<true> : fill_when<false>)(when, b, at, end) - at;
  timeline_q32_ = when.timeline;

  rng_.skip(uint64_t(n) * kDrawsPerRecord);
  flow_sequence_ += n;
  produced_ += n;
  return n;
}

// Where, when some sources are IPv6: the family follows the source subnet, and the
// destination subnet is drawn among those of the same family.
void RecordStream::fill_mixed_addresses(Batch& b, uint32_t at, uint32_t end,
                                        uint64_t block) const {
  const Cidr* const sources = plan_.sources.data();
  const AliasView source_pick = plan_.source_pick.view();
  const bool one_source = source_pick.size == 1;
  const Cidr* const dst4 = plan_.destinations[0].data();
  const AliasView dst4_pick = plan_.destination_pick[0].view();
  const bool one_dst4 = dst4_pick.size == 1;
  uint8_t* const version_col = b.ip_version.data();
  uint32_t* const src4_col = b.src_ip4.data();
  uint32_t* const dst4_col = b.dst_ip4.data();
  for (uint32_t i = at; i < end; ++i, block += kRecordStep) {
    const uint64_t rs = draw(block, kSubnets), ra = draw(block, kAddresses);
    const Cidr& src = one_source ? sources[0] : sources[source_pick.sample32_fast(uint32_t(rs))];
    if (src.version == 4) {
      const Cidr& dst = one_dst4 ? dst4[0] : dst4[dst4_pick.sample32_fast(high(rs))];
      version_col[i] = 4;
      src4_col[i] = src.v4_from(uint32_t(ra));
      dst4_col[i] = dst.v4_from(high(ra));
    } else {
      version_col[i] = 6;
      src4_col[i] = 0;
      dst4_col[i] = 0;
      fill_ipv6(b, i, src, high(rs), block);
    }
  }
}

// An IPv6 record of the packet fast path (out of line: rare, and it would crowd the
// registers of the IPv4 loop): its destination subnet and both hosts from the record's
// block; ICMP becomes ICMPv6 with the equivalent type/code.
void RecordStream::fill_ipv6(Batch& b, uint32_t i, const Cidr& src, uint32_t r_dst_subnet,
                             uint64_t block) const {
  const Cidr& dst = plan_.destinations[1][plan_.destination_pick[1].view().sample32(r_dst_subnet)];
  src.v6_from(draw(block, kAddresses), draw(block, kSource6Low), &b.src_ip6[size_t(i) * 16]);
  dst.v6_from(draw(block, kDestination6High), draw(block, kDestination6Low),
              &b.dst_ip6[size_t(i) * 16]);
  if (b.protocol[i] == kIcmp) {
    b.protocol[i] = kIcmp6;
    b.dst_port[i] = icmp6_type_code(b.dst_port[i]);
  }
}

}  // namespace flowgen::detail
