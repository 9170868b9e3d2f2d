// The hot half of PatternModel: drawing one flow's request and response shapes. Inline, so
// that the generator's loop (generator_stream.cpp) calls it directly and the FlowShape
// stays in registers; models_pattern.cpp wraps it for the FlowModel interface.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "models_pattern.hpp"
#include "models_tcp_flags.hpp"

namespace flowgen::detail {
namespace pattern_draw {

// Flows up to this many packets sum their packet sizes one by one; longer ones use the
// normal approximation of the sum (central limit theorem) with the clamped moments: one
// draw instead of n keeps flow mode within its budget of a few ns per record.
constexpr uint32_t kExactSumPackets = 2;
// The smallest DNS answer record: compressed name 2 + type 2 + class 2 + TTL 4 +
// rdlength 2 + IPv4 address 4 bytes. A response repeats the question, so it is at least
// this much larger than its query.
constexpr double kDnsAnswerBytes = 16;

// Round half up of a clamped value; lo >= 0, so truncation is floor (and needs no libm).
// The clamped value is below 2^63 (at most 1e6 packets x 65535 B, or one day in ns), so the
// signed conversion (one instruction on x86-64) is exact; the unsigned one is a branchy sequence.
inline int64_t round_clamp_int(double x, double lo, double hi) noexcept {
  const double c = std::min(hi, std::max(lo, x));
  return int64_t(c + 0.5);
}
inline double round_clamp(double x, double lo, double hi) noexcept {
  return double(round_clamp_int(x, lo, hi));
}

// The draw_* helpers are forced inline: a call (register saves, argument moves) costs as
// much as the table lookup it wraps, and they run several times per flow.
[[gnu::always_inline]] inline uint32_t draw_packets(const Sampler& sampler, Rng& rng) noexcept {
  return uint32_t(round_clamp_int(sampler.sample(rng), 1, kMaxPacketsPerFlow));
}

[[gnu::always_inline]] inline uint64_t draw_bytes(const SizeLaw& law, uint32_t packets, double lo,
                                                  const Sampler& normal, Rng& rng) noexcept {
  if (packets == 1) return uint64_t(round_clamp_int(law.sampler.sample(rng), lo, law.hi));
  if (packets <= kExactSumPackets) {
    int64_t sum = 0;
    for (uint32_t i = 0; i < packets; ++i) sum += round_clamp_int(law.sampler.sample(rng), lo, law.hi);
    return uint64_t(sum);
  }
  const double n = double(packets);
  const double spread = std::sqrt(n) * law.moments.sd;
  const double noise = spread * normal.sample(rng);
  const double centre = n * law.moments.mean;
  return uint64_t(round_clamp_int(centre + noise, n * lo, n * law.hi));
}

[[gnu::always_inline]] inline uint64_t duration_ns(const CompiledService& s, uint32_t packets,
                                                   Rng& rng) noexcept {
  if (packets <= 1) return 0;
  double ms = s.duration_ms.sample(rng);
  if (s.duration_is_gap) ms *= double(packets - 1);
  const double clamped = std::min(kMaxDurationMs, std::max(0.0, ms));
  return uint64_t(int64_t(clamped * 1e6 + 0.5));  // <= 8.64e13: signed conversion is exact
}

inline bool draw_reset(const CompiledService& s, Rng& rng) noexcept {
  return uint32_t(rng.next() >> 32) < s.reset_threshold;
}

// Echo requests are answered by echo replies; other ICMP messages keep their type/code.
inline uint16_t icmp_reply(uint8_t protocol, uint16_t type_code) noexcept {
  if (protocol == 1 && type_code == (8 << 8)) return 0;
  if (protocol == 58 && type_code == (128 << 8)) return 129 << 8;
  return type_code;
}

inline bool is_icmp(uint8_t protocol) noexcept { return protocol == 1 || protocol == 58; }

}  // namespace pattern_draw

inline void PatternModel::draw_request(Rng& rng, FlowShape& out) const {
  using namespace pattern_draw;
  const uint32_t variant = service_count_ == 1 ? 0 : service_pick_.sample(rng.next());
  const CompiledService& s = services_[variant];
  out.variant = uint8_t(variant);
  out.protocol = s.protocol;
  if (s.port_count == 0) {
    out.dst_port = uint16_t(1 + rng.below(65535));
  } else {
    out.dst_port = s.port_count == 1 ? s.ports[0] : s.ports[s.port_pick.sample(rng.next())];
  }
  out.packets = draw_packets(s.packets, rng);
  out.bytes = draw_bytes(s.request_size, out.packets, s.request_size.lo, normal_, rng);
  out.duration_ns = duration_ns(s, out.packets, rng);
  out.tcp_flags = 0;
  if (s.protocol == 6) {
    const bool reset = draw_reset(s, rng);
    out.tcp_flags = tcp_client_flags(out.packets, reset);
  }
}

inline void PatternModel::draw_response(Rng& rng, const FlowShape& request,
                                         FlowShape& out) const {
  using namespace pattern_draw;
  const CompiledService& s = services_[request.variant < service_count_ ? request.variant : 0];
  out.variant = request.variant;
  out.protocol = request.protocol;
  out.dst_port = is_icmp(request.protocol) ? icmp_reply(request.protocol, request.dst_port)
                                           : request.dst_port;
  const bool lone_syn = request.protocol == 6 && request.tcp_flags == kTcpSyn;
  if (s.response_packets_set) {
    out.packets = draw_packets(s.response_packets, rng);
  } else if (lone_syn) {
    out.packets = 1;  // SYN|ACK or a refusal, nothing more
  } else {
    const double scaled = double(request.packets) * s.response_ratio * s.response_noise.sample(rng);
    out.packets = uint32_t(round_clamp(scaled, 1, kMaxPacketsPerFlow));
  }
  double lo = s.response_size.lo;
  if (s.response_larger && request.packets > 0) {
    // floor(bytes / packets) exactly, without libm's floor or a double division.
    const uint64_t per_packet = request.packets == 1 ? request.bytes : request.bytes / request.packets;
    const double query = double(int64_t(per_packet));
    lo = std::min(s.response_size.hi, std::max(lo, query + kDnsAnswerBytes));
  }
  out.bytes = draw_bytes(s.response_size, out.packets, lo, normal_, rng);
  // Both directions of a connection span about the same time.
  out.duration_ns = out.packets <= 1 ? 0
                    : request.duration_ns > 0 ? request.duration_ns
                                              : duration_ns(s, out.packets, rng);
  out.tcp_flags = 0;
  if (request.protocol == 6) {
    const bool reset = draw_reset(s, rng);
    out.tcp_flags = tcp_server_flags(out.packets, request.tcp_flags, reset);
  }
}

}  // namespace flowgen::detail
