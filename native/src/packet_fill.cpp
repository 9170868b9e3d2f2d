// RecordStream::fill_packets: the brief's packet mode, the engine's hottest loop.
#include <cstring>

#include "generator_stream.hpp"
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

inline uint32_t high(uint64_t r) noexcept { return uint32_t(r >> 32); }

// Where, when every source is IPv4 (the common case): no family test per record, and a
// single subnet (or destination subnet) costs no draw or lookup at all.
template <bool kOneSource, bool kOneDestination>
void fill_v4_addresses(const GenerationPlan& plan, Batch& b, uint32_t at, uint32_t end,
                       uint64_t block) noexcept {
  const Cidr* const sources = plan.sources.data();
  const AliasView source_pick = plan.source_pick.view();
  const Cidr* const destinations = plan.destinations[0].data();
  const AliasView destination_pick = plan.destination_pick[0].view();
  uint8_t* const version_col = b.ip_version.data();
  uint32_t* const src4_col = b.src_ip4.data();
  uint32_t* const dst4_col = b.dst_ip4.data();
  for (uint32_t i = at; i < end; ++i, block += kRecordStep) {
    const uint64_t rs = kOneSource && kOneDestination ? 0 : draw(block, kSubnets);
    const uint64_t ra = draw(block, kAddresses);
    const Cidr& src = kOneSource ? sources[0] : sources[source_pick.sample32_fast(uint32_t(rs))];
    const Cidr& dst =
        kOneDestination ? destinations[0] : destinations[destination_pick.sample32_fast(high(rs))];
    version_col[i] = 4;
    src4_col[i] = src.v4_from(uint32_t(ra));
    dst4_col[i] = dst.v4_from(high(ra));
  }
}

}  // namespace

// The brief's packet mode without responses, in three passes over the batch: what each
// record is (pattern, ports, protocol, flags, length), where it goes (addresses) and when
// (timeline, bytes, flow ids); RecordStream::fill adds the seconds column. Column pointers
// and state live in locals: stores through uint8_t columns may alias anything and would
// otherwise force reloads of every member after each byte written.
uint32_t RecordStream::fill_packets(Batch& b, uint32_t at, uint32_t n) {
  const uint64_t left = limit_ - produced_;
  if (left < n) n = uint32_t(left);
  const uint32_t end = at + n;
  const uint64_t first_block = rng_.state();

  {  // What: one alias draw picks pattern, protocol, port ranges and length part.
    const PacketEntry* const entries = plan_.packet.entries.data();
    const AliasView pick = plan_.packet.pick.view();
    uint16_t* const sport_col = b.src_port.data();
    uint16_t* const dport_col = b.dst_port.data();
    uint8_t* const proto_col = b.protocol.data();
    uint8_t* const flags_col = b.tcp_flags.data();
    uint16_t* const length_col = b.length.data();
    uint8_t* const pattern_col = b.pattern.data();
    uint64_t block = first_block;
    for (uint32_t i = at; i < end; ++i, block += kRecordStep) {
      const uint64_t rw = draw(block, kWhat), rp = draw(block, kPorts);
      const PacketEntry& e = entries[pick.sample32_fast(uint32_t(rw))];
      length_col[i] = e.length_from(high(rw));
      // PSH on about half of the TCP packets: the length word's lowest bit, which barely
      // moves the multiply-shift above.
      flags_col[i] = uint8_t(e.flags_base | (e.flags_random & uint8_t(high(rw) << 3)));
      sport_col[i] = uint16_t(e.src_port_base + mul_shift(uint32_t(rp), e.src_port_span));
      dport_col[i] = uint16_t(e.dst_port_base + mul_shift(high(rp), e.dst_port_span));
      proto_col[i] = e.protocol;
      pattern_col[i] = e.pattern;
    }
  }

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

  {  // When: each record starts where the previous one's bytes end; flow ids count.
    u128 timeline = timeline_q32_;
    const uint64_t step = setup_.ns_per_byte_q32, start = start_ns_;
    const uint64_t stride = setup_.id_stride;
    uint64_t id = flow_sequence_ * stride + setup_.id_offset;
    const uint16_t* const length_col = b.length.data();
    uint64_t* const ts_col = b.timestamp_ns.data();
    uint64_t* const bytes_col = b.bytes.data();
    uint64_t* const id_col = b.flow_id.data();
    for (uint32_t i = at; i < end; ++i) {
      const uint16_t len = length_col[i];
      ts_col[i] = start + uint64_t(timeline >> 32);
      bytes_col[i] = len;
      id_col[i] = id;
      id += stride;
      timeline += static_cast<u128>(len) * step;
    }
    timeline_q32_ = timeline;
  }

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
