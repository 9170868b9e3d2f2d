// RecordStream::fill_packets: the brief's packet mode, the engine's hottest loop.
#include <cstring>

#include "generator_stream.hpp"
#include "record_math.hpp"

namespace flowgen::detail {

// The brief's packet mode without responses: one branch-free pass per record (the only
// branch is the address family, constant in IPv4-only configs). State and column pointers
// live in locals: stores through the uint8_t columns may alias anything, which would
// otherwise force the compiler to reload every member after each byte written.
uint32_t RecordStream::fill_packets(Batch& b, uint32_t at, uint32_t n) {
  const uint64_t left = limit_ - produced_;
  if (left < n) n = uint32_t(left);
  const PacketEntry* const entries = plan_.packet.entries.data();
  const AliasView pick = plan_.packet.pick.view();
  const Cidr* const sources = plan_.sources.data();
  const AliasView source_pick = plan_.source_pick.view();
  const bool one_source = source_pick.size == 1;
  const Cidr* const dst4 = plan_.destinations[0].data();
  const AliasView dst4_pick = plan_.destination_pick[0].view();
  const bool one_dst4 = dst4_pick.size == 1;
  Rng rng = rng_;
  uint8_t* const version_col = b.ip_version.data();
  uint32_t* const src4_col = b.src_ip4.data();
  uint32_t* const dst4_col = b.dst_ip4.data();
  uint8_t* const src6_col = b.src_ip6.data();
  uint8_t* const dst6_col = b.dst_ip6.data();
  uint16_t* const sport_col = b.src_port.data();
  uint16_t* const dport_col = b.dst_port.data();
  uint8_t* const proto_col = b.protocol.data();
  uint8_t* const flags_col = b.tcp_flags.data();
  uint16_t* const length_col = b.length.data();
  uint8_t* const pattern_col = b.pattern.data();
  // Pass 1: what each record is (pattern, endpoints, ports, length). A single source or
  // destination subnet (a loop-invariant, predictable branch) skips its alias draw. Draws
  // stay in record order, so the output does not depend on batch boundaries.
  for (uint32_t i = at; i < at + n; ++i) {
    const PacketEntry& e = entries[pick.sample(rng.next())];
    const Cidr& src = one_source ? sources[0] : sources[source_pick.sample(rng.next())];
    const uint64_t rp = rng.next();
    const uint64_t rl = rng.next();
    uint16_t dst_port = uint16_t(e.dst_port_base + mul_shift(uint32_t(rp >> 32), e.dst_port_span));
    uint8_t protocol = e.protocol;
    if (src.version == 4) {
      const Cidr& dst = one_dst4 ? dst4[0] : dst4[dst4_pick.sample(rng.next())];
      const uint64_t ra = rng.next();
      version_col[i] = 4;
      src4_col[i] = src.v4_from(uint32_t(ra));
      dst4_col[i] = dst.v4_from(uint32_t(ra >> 32));
    } else {
      const Cidr& dst = plan_.destinations[1][plan_.destination_pick[1].sample(rng.next())];
      version_col[i] = 6;
      src4_col[i] = 0;
      dst4_col[i] = 0;
      src.v6_into(rng, src6_col + size_t(i) * 16);
      dst.v6_into(rng, dst6_col + size_t(i) * 16);
      if (protocol == kIcmp) {
        protocol = kIcmp6;
        dst_port = icmp6_type_code(dst_port);
      }
    }
    sport_col[i] = uint16_t(e.src_port_base + mul_shift(uint32_t(rp), e.src_port_span));
    dport_col[i] = dst_port;
    proto_col[i] = protocol;
    flags_col[i] = uint8_t(e.flags_base | (e.flags_random & uint8_t((rl & 1) << 3)));
    length_col[i] = e.length_from(rl);
    pattern_col[i] = e.pattern;
  }
  rng_ = rng;

  // Pass 2: the timeline (each record starts where the previous one's bytes end), bytes
  // and flow ids. Separate so that neither loop runs out of registers.
  u128 timeline = timeline_q32_;
  const uint64_t step = setup_.ns_per_byte_q32, start = start_ns_;
  const uint64_t stride = setup_.id_stride;
  uint64_t id = flow_sequence_ * stride + setup_.id_offset;
  uint64_t* const ts_col = b.timestamp_ns.data();
  double* const ts_s_col = b.timestamp_s.data();
  uint64_t* const bytes_col = b.bytes.data();
  uint64_t* const id_col = b.flow_id.data();
  for (uint32_t i = at; i < at + n; ++i) {
    const uint64_t ts = start + uint64_t(timeline >> 32);
    const uint16_t len = length_col[i];
    ts_col[i] = ts;
    ts_s_col[i] = seconds(ts);
    bytes_col[i] = len;
    id_col[i] = id;
    id += stride;
    timeline += static_cast<u128>(len) * step;
  }
  timeline_q32_ = timeline;
  flow_sequence_ += n;
  produced_ += n;
  return n;
}

}  // namespace flowgen::detail
