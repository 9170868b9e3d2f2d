// PatternModel: samples the request and response shapes of a pattern's flows.
#include "models_pattern.hpp"

#include <algorithm>
#include <cmath>

#include "abi_guard.hpp"
#include "flowgen/flowgen.h"
#include "models_tcp_flags.hpp"

namespace flowgen::detail {
namespace {

// Config keys of the FLOWGEN_Q_* quantities, as in the YAML.
const char* const kQuantityKeys[5] = {"packet_size", "packets", "duration_ms",
                                      "response_packet_size", "response_packets"};

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

// Built once, on first use (PatternModel's constructor), not checked per draw.
const Sampler& standard_normal() {
  static const Sampler normal = Sampler::from(normal_dist(0, 1));
  return normal;
}

Sampler sampler_for(const std::vector<Component>& builtin, const PatternSpec& pattern,
                    int quantity, Domain domain, const std::string& key_prefix) {
  const Distribution& configured = pattern.dist[quantity];
  if (configured.is_set()) {
    validate_distribution(configured, domain, key_prefix + "." + kQuantityKeys[quantity]);
    return Sampler::from(configured);
  }
  return Sampler::mixture(builtin);
}

SizeLaw size_law(const std::vector<Component>& builtin, const PatternSpec& pattern, int quantity,
                 double lo, double hi, const std::string& key_prefix) {
  SizeLaw law;
  law.lo = lo;
  law.hi = hi;
  if (!pattern.dist[quantity].is_set() && builtin.empty()) {
    law.sampler = Sampler::from(uniform_dist(lo, hi));
  } else {
    law.sampler = sampler_for(builtin, pattern, quantity, Domain::kPositive, key_prefix);
  }
  law.moments = law.sampler.clamped_moments(lo, hi);
  return law;
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
uint16_t icmp_reply(uint8_t protocol, uint16_t type_code) noexcept {
  if (protocol == 1 && type_code == (8 << 8)) return 0;
  if (protocol == 58 && type_code == (128 << 8)) return 129 << 8;
  return type_code;
}

bool is_icmp(uint8_t protocol) noexcept { return protocol == 1 || protocol == 58; }

}  // namespace

uint32_t min_header_bytes(uint8_t protocol) noexcept {
  switch (protocol) {
    case 6: return 40;
    case 17: return 28;
    case 1: return 28;
    case 58: return 48;
    default: return 20;
  }
}

CompiledService compile_service(const ServiceSpec& spec, const PatternSpec& pattern,
                                const PacketSizes& sizes, const std::string& key_prefix) {
  CompiledService s;
  s.protocol = spec.protocol;
  for (uint32_t port : spec.ports) s.ports.push_back(uint16_t(port));
  if (!s.ports.empty()) {
    std::vector<double> weights = spec.port_weights;
    if (weights.empty()) weights.assign(s.ports.size(), 1.0);
    s.port_pick.build(weights);
  }
  // Per-packet bounds: the config's range, the protocol's headers, the application's limit.
  double hi = double(sizes.max_size);
  if (spec.max_packet_size > 0) hi = std::min(hi, double(spec.max_packet_size));
  const double lo = std::min(double(sizes.max_size),
                             std::max(double(sizes.min_size), double(min_header_bytes(s.protocol))));
  hi = std::max(hi, lo);
  s.request_size = size_law(spec.packet_size, pattern, FLOWGEN_Q_PACKET_SIZE, lo, hi, key_prefix);
  s.response_size =
      size_law(spec.response_packet_size, pattern, FLOWGEN_Q_RESPONSE_PACKET_SIZE, lo, hi, key_prefix);
  s.packets = sampler_for(spec.packets, pattern, FLOWGEN_Q_PACKETS, Domain::kPositive, key_prefix);
  s.response_packets_set = pattern.dist[FLOWGEN_Q_RESPONSE_PACKETS].is_set();
  if (s.response_packets_set) {
    s.response_packets =
        sampler_for({}, pattern, FLOWGEN_Q_RESPONSE_PACKETS, Domain::kPositive, key_prefix);
  }
  s.response_ratio = spec.response_ratio;
  s.response_noise = spec.response_sigma > 0 ? Sampler::from(lognormal_dist(0, spec.response_sigma))
                                             : Sampler::from(fixed_dist(1));
  s.duration_is_gap = !pattern.dist[FLOWGEN_Q_DURATION_MS].is_set();
  s.duration_ms =
      sampler_for(spec.gap_ms, pattern, FLOWGEN_Q_DURATION_MS, Domain::kNonNegative, key_prefix);
  s.reset_threshold = uint32_t(std::min(4294967295.0, spec.reset_probability * 4294967296.0));
  s.response_larger = spec.response_larger;
  return s;
}

PatternModel::PatternModel(std::vector<CompiledService> services,
                           const std::vector<double>& weights)
    : services_(std::move(services)), normal_(standard_normal()) {
  service_pick_.build(weights);
}

void PatternModel::sample_request(Rng& rng, FlowShape& out) const {
  const uint32_t variant = services_.size() == 1 ? 0 : service_pick_.sample(rng.next());
  const CompiledService& s = services_[variant];
  out.variant = uint8_t(variant);
  out.protocol = s.protocol;
  if (s.ports.empty()) {
    out.dst_port = uint16_t(1 + rng.below(65535));
  } else {
    out.dst_port = s.ports.size() == 1 ? s.ports[0] : s.ports[s.port_pick.sample(rng.next())];
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

void PatternModel::sample_response(Rng& rng, const FlowShape& request, FlowShape& out) const {
  const CompiledService& s = services_[request.variant < services_.size() ? request.variant : 0];
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
