#include "packet_patterns.hpp"

#include <algorithm>
#include <cmath>

namespace flowgen::detail {
namespace {

constexpr uint8_t kTcp = 6, kUdp = 17, kIcmp = 1;
constexpr uint32_t kEphemeralBase = 49152, kEphemeralSpan = 65536 - 49152;

struct PortShare {
  uint8_t protocol;
  uint32_t base, span;  // span 0: exactly `base`
  double weight;
};

// Ports and protocols of the built-in patterns (weights are shares within the pattern).
std::vector<PortShare> builtin_ports(const std::string& type) {
  if (type == "web_traffic") return {{kTcp, 80, 0, 30}, {kTcp, 443, 0, 70}};
  if (type == "dns_traffic") return {{kUdp, 53, 0, 1}};
  if (type == "ssh_traffic") return {{kTcp, 22, 0, 1}};
  if (type == "database_traffic")  // MySQL, PostgreSQL, MongoDB, Redis
    return {{kTcp, 3306, 0, 35}, {kTcp, 5432, 0, 30}, {kTcp, 27017, 0, 15}, {kTcp, 6379, 0, 20}};
  if (type == "smtp_traffic") return {{kTcp, 25, 0, 40}, {kTcp, 587, 0, 40}, {kTcp, 465, 0, 20}};
  if (type == "ftp_traffic") return {{kTcp, 21, 0, 60}, {kTcp, 20, 0, 40}};
  // random: any port of TCP or UDP, some ICMP (type << 8 | code: echo request/reply,
  // port unreachable, time exceeded).
  return {{kTcp, 1, 65535, 45},        {kUdp, 1, 65535, 45},   {kIcmp, 8 << 8, 0, 5},
          {kIcmp, 0, 0, 3},            {kIcmp, 3 << 8 | 3, 0, 1}, {kIcmp, 11 << 8, 0, 1}};
}

std::vector<PortShare> custom_ports(const PatternSpec& p) {
  std::vector<PortShare> out;
  for (size_t i = 0; i < p.ports.size(); ++i)
    out.push_back({uint8_t(p.protocol), p.ports[i], 0,
                   p.port_weights.empty() ? 1.0 : p.port_weights[i]});
  if (out.empty()) out.push_back({uint8_t(p.protocol), 0, 0, 1});  // e.g. ICMP, GRE
  return out;
}

// A pattern's length distribution on [min, max] with mean t (an integer in [min, max]):
// uniform on [min, t] with probability w, uniform on [t, max] otherwise. Its mean is
// w (min + t) / 2 + (1 - w) (t + max) / 2, which equals t for w = (max - t) / (max - min).
// The two halves become two entries (weights w and 1 - w) so that the entry pick, which
// is drawn anyway, also tosses this coin.
struct LengthPart {
  uint32_t base, span;
  double share;
};

std::vector<LengthPart> length_parts(uint32_t min, uint32_t max, uint32_t t) {
  const double w = max == min ? 1.0 : double(max - t) / double(max - min);
  std::vector<LengthPart> parts;
  if (w > 0) parts.push_back({min, t - min + 1, w});
  if (w < 1) parts.push_back({t, max - t + 1, 1 - w});
  return parts;
}

// Custom patterns in packet mode keep an explicit FIXED or UNIFORM packet size; other
// distributions apply in flow mode only (issue 5) and fall back to the scaled shape here.
bool explicit_size(const PatternSpec& p, const PacketSizes& s, uint32_t& lo, uint32_t& hi) {
  const Distribution& d = p.dist[FLOWGEN_Q_PACKET_SIZE];
  auto clamp = [&](double v) {
    return uint32_t(std::min<double>(s.max_size, std::max<double>(s.min_size, std::round(v))));
  };
  if (d.kind == FLOWGEN_DIST_FIXED) {
    lo = hi = clamp(d.a);
    return true;
  }
  if (d.kind == FLOWGEN_DIST_UNIFORM) {
    lo = clamp(std::min(d.a, d.b));
    hi = clamp(std::max(d.a, d.b));
    return true;
  }
  return false;
}

}  // namespace

double builtin_size_factor(const std::string& type) {
  if (type == "web_traffic") return 1.25;      // downloads: large segments dominate
  if (type == "dns_traffic") return 0.15;      // queries and answers fit a small datagram
  if (type == "ssh_traffic") return 0.45;      // interactive keystrokes and echoes
  if (type == "database_traffic") return 0.8;  // queries small, result sets larger
  if (type == "ftp_traffic") return 1.3;       // bulk data transfer
  return 1.0;                                  // smtp, random, custom
}

PacketPatterns build_packet_patterns(const Config& c) {
  const PacketSizes& s = c.sizes;
  const size_t n = c.patterns.size();

  // Per-pattern target means. Built-in shapes are relative: pattern p aims at
  // clamp(average * factor_p * k, min, max), and k is solved (bisection; the mix mean is
  // monotonic in k) so that the share-weighted mean over all packet-mode patterns equals
  // packets.average_size. DNS stays small and web large, and the global mean still matches.
  std::vector<double> share(n), factor(n), fixed_mean(n, -1);
  std::vector<uint32_t> fixed_lo(n), fixed_hi(n);
  double packet_share = 0;
  for (size_t i = 0; i < n; ++i) {
    const PatternSpec& p = c.patterns[i];
    share[i] = pattern_flow_model(c, i) == FLOWGEN_MODEL_PACKET ? p.percentage : 0;
    packet_share += share[i];
    factor[i] = builtin_size_factor(p.type);
    if (p.type == "custom" && explicit_size(p, s, fixed_lo[i], fixed_hi[i]))
      fixed_mean[i] = (double(fixed_lo[i]) + double(fixed_hi[i])) / 2;
  }
  auto target = [&](size_t i, double k) {
    return std::min<double>(s.max_size,
                            std::max<double>(s.min_size, s.average_size * factor[i] * k));
  };
  auto mix_mean = [&](double k) {
    double m = 0;
    for (size_t i = 0; i < n; ++i)
      m += share[i] * (fixed_mean[i] >= 0 ? fixed_mean[i] : target(i, k));
    return packet_share > 0 ? m / packet_share : double(s.average_size);
  };
  double lo_k = 0, hi_k = 1;
  while (mix_mean(hi_k) < s.average_size && hi_k < 1e6) hi_k *= 2;
  for (int it = 0; it < 100; ++it) {
    const double mid = (lo_k + hi_k) / 2;
    (mix_mean(mid) < s.average_size ? lo_k : hi_k) = mid;
  }
  const double k = (lo_k + hi_k) / 2;

  PacketPatterns out;
  out.target_mean.assign(n, 0);
  std::vector<double> weights;
  for (size_t i = 0; i < n; ++i) {
    const PatternSpec& p = c.patterns[i];
    const auto ports = p.type == "custom" ? custom_ports(p) : builtin_ports(p.type);
    double port_total = 0;
    for (const auto& ps : ports) port_total += ps.weight;
    const uint32_t t = uint32_t(std::llround(target(i, k)));
    out.target_mean[i] = fixed_mean[i] >= 0 ? fixed_mean[i] : double(t);
    for (const auto& ps : ports) {
      PacketEntry e;
      e.protocol = ps.protocol;
      e.pattern = uint8_t(i);
      e.dst_port_base = ps.base;
      e.dst_port_span = ps.span;
      const bool has_ports = ps.protocol == kTcp || ps.protocol == kUdp;
      e.src_port_base = has_ports ? kEphemeralBase : 0;
      e.src_port_span = has_ports ? kEphemeralSpan : 0;
      e.flags_base = ps.protocol == kTcp ? 0x10 : 0;    // ACK
      e.flags_random = ps.protocol == kTcp ? 0x08 : 0;  // PSH
      const double port_share = port_total > 0 ? p.percentage * ps.weight / port_total : 0;
      const auto parts = fixed_mean[i] >= 0
                             ? std::vector<LengthPart>{{fixed_lo[i], fixed_hi[i] - fixed_lo[i] + 1, 1}}
                             : length_parts(s.min_size, s.max_size, t);
      for (const LengthPart& part : parts) {
        e.length_base = part.base;
        e.length_span = part.span;
        out.entries.push_back(e);
        weights.push_back(port_share * part.share);
      }
    }
  }
  out.pick.build(weights);
  return out;
}

}  // namespace flowgen::detail
