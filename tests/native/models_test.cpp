// Statistical and consistency tests of the samplers (distributions.cpp) and the per-pattern
// flow models (models_*.cpp). Seeds are fixed, so every test is deterministic; the
// thresholds are the 0.1 % critical values, so a correct sampler passes with a large margin
// and a wrong law (other parameters, lost tail, bad rounding) fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "abi_guard.hpp"
#include "distributions.hpp"
#include "flow_model.hpp"
#include "flowgen/flowgen.h"
#include "models_builtin.hpp"
#include "models_pattern.hpp"
#include "models_tcp_flags.hpp"

namespace flowgen::detail {
namespace {

using Cdf = std::function<double(double)>;

double cdf_of(const Distribution& d, double x) {
  switch (d.kind) {
    case FLOWGEN_DIST_FIXED: return x >= d.a ? 1 : 0;
    case FLOWGEN_DIST_UNIFORM:
      if (d.b == d.a) return x >= d.a ? 1 : 0;
      return std::min(1.0, std::max(0.0, (x - d.a) / (d.b - d.a)));
    case FLOWGEN_DIST_NORMAL: return 0.5 * std::erfc(-(x - d.a) / (d.b * std::sqrt(2.0)));
    case FLOWGEN_DIST_LOGNORMAL:
      return x <= 0 ? 0 : 0.5 * std::erfc(-(std::log(x) - d.a) / (d.b * std::sqrt(2.0)));
    case FLOWGEN_DIST_PARETO: return x < d.a ? 0 : 1 - std::pow(d.a / x, d.b);
    case FLOWGEN_DIST_EMPIRICAL: {
      double below = 0, total = 0;
      for (size_t i = 0; i < d.values.size(); ++i) {
        total += d.weights[i];
        if (d.values[i] <= x) below += d.weights[i];
      }
      return below / total;
    }
  }
  return 0;
}

Cdf mixture_cdf(const std::vector<Component>& parts) {
  return [parts](double x) {
    double sum = 0, total = 0;
    for (const Component& c : parts) {
      sum += c.weight * cdf_of(c.dist, x);
      total += c.weight;
    }
    return sum / total;
  };
}

// CDF of round(clamp(X, lo, hi)) at integer v.
Cdf rounded_clamped(const Cdf& cdf, double lo, double hi) {
  return [cdf, lo, hi](double v) {
    if (v < lo) return 0.0;
    if (v >= hi) return 1.0;
    return cdf(v + 0.5);
  };
}

// Kolmogorov-Smirnov statistic of `samples` against a continuous CDF.
double ks_statistic(std::vector<double> samples, const Cdf& cdf) {
  std::sort(samples.begin(), samples.end());
  const double n = double(samples.size());
  double d = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const double f = cdf(samples[i]);
    d = std::max({d, f - double(i) / n, double(i + 1) / n - f});
  }
  return d;
}
// 0.1 % critical value of the KS statistic for large n.
double ks_critical(size_t n) { return 1.95 / std::sqrt(double(n)); }

// Chi-square goodness of fit of integer samples against the CDF of an integer variable
// (P(V <= v)), with bins merged until each expects >= 20 samples. Returns statistic /
// 0.1 % critical value: < 1 passes.
double chi_square_ratio(const std::vector<double>& samples, const Cdf& cdf, double first,
                        double last) {
  const double n = double(samples.size());
  std::vector<double> edges;  // bin i holds values in (edges[i-1], edges[i]]
  std::vector<double> expected;
  double previous = 0, v = first;
  while (v < last && 1.0 - cdf(v) >= 20 / n) {
    const double c = cdf(v);
    if ((c - previous) * n >= 20) {
      edges.push_back(v);
      expected.push_back((c - previous) * n);
      previous = c;
    }
    v = v < 4096 ? v + 1 : std::floor(v * 1.01);
  }
  edges.push_back(INFINITY);
  expected.push_back((1 - previous) * n);
  std::vector<double> observed(edges.size(), 0);
  for (double s : samples) {
    observed[size_t(std::lower_bound(edges.begin(), edges.end(), s) - edges.begin())] += 1;
  }
  double chi = 0;
  for (size_t i = 0; i < edges.size(); ++i) {
    const double diff = observed[i] - expected[i];
    chi += expected[i] > 0 ? diff * diff / expected[i] : (observed[i] > 0 ? INFINITY : 0);
  }
  const double df = double(std::max<size_t>(1, edges.size() - 1));
  const double z = 3.09;  // Wilson-Hilferty approximation of the 99.9 % quantile
  const double h = 2.0 / (9.0 * df);
  const double critical = df * std::pow(1 - h + z * std::sqrt(h), 3);
  return chi / critical;
}

std::vector<double> draw(const Sampler& s, size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> out(n);
  for (double& x : out) x = s.sample(rng);
  return out;
}

PatternSpec builtin_spec(const std::string& type) {
  PatternSpec spec;
  spec.type = type;
  spec.name = type;
  spec.percentage = 100;
  return spec;
}

std::string config_error_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), FLOWGEN_ERR_INVALID_CONFIG);
    return e.what();
  }
  return "(no error)";
}

// ------------------------------------------------------------------ samplers

TEST(Distributions, ContinuousKindsMatchTheirCdf) {
  const std::vector<Distribution> laws = {
      uniform_dist(10, 20),      normal_dist(100, 15),    lognormal_dist(std::log(500), 1.2),
      pareto_dist(3, 1.5),       pareto_dist(100, 0.8),   lognormal_dist(0, 0.1),
  };
  uint64_t seed = 1;
  for (const Distribution& law : laws) {
    const auto samples = draw(Sampler::from(law), 40000, seed++);
    EXPECT_LT(ks_statistic(samples, [&](double x) { return cdf_of(law, x); }),
              ks_critical(samples.size()))
        << distribution_name(law.kind) << " " << law.a << " " << law.b;
  }
}

TEST(Distributions, FixedAlwaysReturnsItsValue) {
  const auto samples = draw(Sampler::from(fixed_dist(42)), 1000, 3);
  for (double x : samples) EXPECT_EQ(x, 42);
}

TEST(Distributions, EmpiricalMatchesWeightsByChiSquare) {
  const Distribution d = empirical_dist({5, 1, 9, 3}, {0.1, 0.4, 0.2, 0.3});
  const auto samples = draw(Sampler::from(d), 50000, 4);
  for (double x : samples) EXPECT_TRUE(x == 1 || x == 3 || x == 5 || x == 9);
  EXPECT_LT(chi_square_ratio(samples, [&](double v) { return cdf_of(d, v); }, 1, 10), 1);
}

TEST(Distributions, MixtureMatchesItsCdf) {
  const std::vector<Component> parts = {{0.3, lognormal_dist(std::log(2), 0.3)},
                                        {0.7, lognormal_dist(std::log(40), 1.0)}};
  const auto samples = draw(Sampler::mixture(parts), 40000, 5);
  EXPECT_LT(ks_statistic(samples, mixture_cdf(parts)), ks_critical(samples.size()));
}

TEST(Distributions, TailsAreSampledBeyondTheMainTable) {
  // P(Z > 3.719) = 1e-4 lies inside the outermost table cell (p < 1/256).
  const auto samples = draw(Sampler::from(normal_dist(0, 1)), 2000000, 6);
  const double above = double(std::count_if(samples.begin(), samples.end(),
                                            [](double x) { return x > 3.719; }));
  EXPECT_NEAR(above, 200, 5 * std::sqrt(200.0));
  const double below = double(std::count_if(samples.begin(), samples.end(),
                                            [](double x) { return x < -4.265; }));  // 1e-5
  EXPECT_NEAR(below, 20, 5 * std::sqrt(20.0));
}

TEST(Distributions, SameSeedSameSequence) {
  const Sampler s = Sampler::mixture({{0.5, pareto_dist(1, 1.1)}, {0.5, normal_dist(5, 1)}});
  EXPECT_EQ(draw(s, 1000, 77), draw(s, 1000, 77));
  EXPECT_NE(draw(s, 1000, 77), draw(s, 1000, 78));
}

TEST(Distributions, NormalQuantileIsAccurate) {
  for (double p : {1e-12, 1e-6, 0.01, 0.3, 0.5, 0.8, 0.999}) {
    const double x = normal_quantile(p);
    EXPECT_NEAR(0.5 * std::erfc(-x / std::sqrt(2.0)), p, p * 1e-9);
  }
}

TEST(Distributions, ClampedMomentsOfUniform) {
  const Moments m = Sampler::from(uniform_dist(0, 100)).clamped_moments(50, 1000);
  // Half the mass sits at 50, the rest is uniform over 50..100 (mean 75).
  EXPECT_NEAR(m.mean, 62.5, 0.05);
}

// ------------------------------------------------------------------ validation

TEST(Validation, MessagesNameKeyValueAndReason) {
  auto check = [](const Distribution& d, Domain domain, const std::string& expected) {
    EXPECT_EQ(config_error_of([&] { validate_distribution(d, domain, "k"); }), expected);
  };
  check(lognormal_dist(1, -1), Domain::kPositive, "k: lognormal sigma must be > 0, got -1");
  check(normal_dist(10, -0.5), Domain::kPositive, "k: normal sd must be >= 0, got -0.5");
  check(normal_dist(-3, 1), Domain::kPositive, "k: normal mean must be > 0, got -3");
  check(pareto_dist(1, 0), Domain::kPositive, "k: pareto shape must be > 0, got 0");
  check(pareto_dist(-2, 1), Domain::kPositive, "k: pareto scale must be > 0, got -2");
  check(uniform_dist(9, 3), Domain::kPositive, "k: uniform max must be >= min (9), got 3");
  check(fixed_dist(0), Domain::kPositive, "k: fixed value must be > 0, got 0");
  check(fixed_dist(NAN), Domain::kPositive, "k: fixed parameter a must be finite, got nan");
  EXPECT_NO_THROW(validate_distribution(fixed_dist(0), Domain::kNonNegative, "k"));
  check(empirical_dist({}, {}), Domain::kPositive, "k: empirical table must not be empty");
  check(empirical_dist({1, 2}, {1}), Domain::kPositive,
        "k: empirical table has 2 values but 1 weights");
  check(empirical_dist({1, 2}, {1, -1}), Domain::kPositive,
        "k: empirical weight[1] must be finite and >= 0, got -1");
  check(empirical_dist({1, 2}, {0, 0}), Domain::kPositive,
        "k: empirical weights must sum to > 0, got 0");
  check(empirical_dist({1, -2}, {1, 1}), Domain::kPositive,
        "k: empirical value[1] must be finite and > 0, got -2");
  Distribution unknown;
  unknown.kind = 9;
  EXPECT_EQ(config_error_of([&] { validate_distribution(unknown, Domain::kPositive, "k"); }),
            "k: unknown distribution kind 9 (expected fixed, uniform, normal, lognormal, "
            "pareto or empirical)");
}

TEST(Validation, PatternErrorsUseTheKeyPrefix) {
  PatternSpec spec;
  spec.type = "custom";
  spec.protocol = 6;
  spec.ports = {8080};
  spec.dist[FLOWGEN_Q_PACKET_SIZE] = lognormal_dist(5, -1);
  EXPECT_EQ(config_error_of([&] { make_flow_model(spec, {}, "traffic_patterns[3]"); }),
            "traffic_patterns[3].packet_size: lognormal sigma must be > 0, got -1");
  spec.dist[FLOWGEN_Q_PACKET_SIZE] = {};
  spec.dist[FLOWGEN_Q_RESPONSE_PACKETS] = uniform_dist(4, 2);
  EXPECT_EQ(config_error_of([&] { make_flow_model(spec, {}, "traffic_patterns[0]"); }),
            "traffic_patterns[0].response_packets: uniform max must be >= min (4), got 2");
  spec.dist[FLOWGEN_Q_RESPONSE_PACKETS] = {};
  spec.ports = {};
  EXPECT_EQ(config_error_of([&] { make_flow_model(spec, {}, "traffic_patterns[1]"); }),
            "traffic_patterns[1].ports: a TCP/UDP pattern needs at least one port");
  spec.ports = {80, 443};
  spec.port_weights = {1};
  EXPECT_EQ(config_error_of([&] { make_flow_model(spec, {}, "p"); }),
            "p.ports: 2 ports but 1 weights");
  PatternSpec unknown = builtin_spec("video_traffic");
  EXPECT_EQ(config_error_of([&] { make_flow_model(unknown, {}, "traffic_patterns[2]"); }),
            "traffic_patterns[2].type: unknown pattern type 'video_traffic'");
  EXPECT_EQ(config_error_of([&] {
              make_scalar_sampler(pareto_dist(1, -2), "generation.bidirectional.rtt_ms");
            }),
            "generation.bidirectional.rtt_ms: pareto shape must be > 0, got -2");
}

// ------------------------------------------------------------------ TCP flags

TEST(TcpFlags, FollowTheConnection) {
  EXPECT_EQ(tcp_client_flags(1, false), kTcpSyn);
  EXPECT_EQ(tcp_client_flags(1, true), kTcpSyn);
  EXPECT_EQ(tcp_client_flags(2, false), kTcpSyn | kTcpAck);
  EXPECT_EQ(tcp_client_flags(3, false), kTcpSyn | kTcpAck | kTcpFin);
  EXPECT_EQ(tcp_client_flags(10, false), kTcpSyn | kTcpAck | kTcpPsh | kTcpFin);
  EXPECT_EQ(tcp_client_flags(10, true), kTcpSyn | kTcpAck | kTcpPsh | kTcpRst);
  EXPECT_EQ(tcp_server_flags(1, kTcpSyn, false), kTcpSyn | kTcpAck);
  EXPECT_EQ(tcp_server_flags(1, kTcpSyn, true), kTcpRst | kTcpAck);
  EXPECT_EQ(tcp_server_flags(8, kTcpSyn | kTcpAck | kTcpPsh | kTcpFin, false),
            kTcpSyn | kTcpAck | kTcpPsh | kTcpFin);
  EXPECT_EQ(tcp_server_flags(8, kTcpSyn | kTcpAck | kTcpPsh | kTcpRst, false),
            kTcpSyn | kTcpAck | kTcpPsh);
}

TEST(Distributions, TestsDetectAWrongLaw) {
  // The goodness-of-fit checks used below have power: a 10 % wrong sigma fails them.
  const auto samples = draw(Sampler::from(lognormal_dist(std::log(500), 1.2)), 40000, 9);
  const Distribution wrong = lognormal_dist(std::log(500), 1.32);
  EXPECT_GT(ks_statistic(samples, [&](double x) { return cdf_of(wrong, x); }),
            ks_critical(samples.size()));
  std::vector<double> rounded;
  for (double x : samples) rounded.push_back(std::floor(x + 0.5));
  EXPECT_GT(chi_square_ratio(rounded, [&](double v) { return cdf_of(wrong, v + 0.5); }, 0, 1e6), 1);
}

// ------------------------------------------------------------------ patterns

constexpr size_t kFlows = 30000;

struct Drawn {
  std::vector<FlowShape> requests;
  std::vector<FlowShape> responses;
};

Drawn draw_flows(const FlowModel& model, size_t n, uint64_t seed) {
  Rng rng(seed);
  Drawn d;
  d.requests.resize(n);
  d.responses.resize(n);
  for (size_t i = 0; i < n; ++i) {
    model.sample_request(rng, d.requests[i]);
    model.sample_response(rng, d.requests[i], d.responses[i]);
  }
  return d;
}

// Pattern specs covering every built-in type and a custom pattern of each protocol class.
std::vector<PatternSpec> every_pattern() {
  std::vector<PatternSpec> specs;
  for (const BuiltinPattern& b : builtin_patterns()) specs.push_back(builtin_spec(b.type));
  for (uint32_t protocol : {6u, 17u, 1u, 58u, 47u}) {
    PatternSpec custom;
    custom.type = "custom";
    custom.name = "custom_" + std::to_string(protocol);
    custom.protocol = protocol;
    if (protocol == 6 || protocol == 17) custom.ports = {9000, 9001};
    specs.push_back(custom);
  }
  return specs;
}

void expect_consistent(const FlowShape& f, const PacketSizes& sizes, const std::string& what) {
  ASSERT_GE(f.packets, 1u) << what;
  const uint64_t header = std::max<uint32_t>(min_header_bytes(f.protocol), sizes.min_size);
  ASSERT_GE(f.bytes, uint64_t(f.packets) * std::min<uint64_t>(header, sizes.max_size)) << what;
  ASSERT_LE(f.bytes, uint64_t(f.packets) * sizes.max_size) << what;
  if (f.packets == 1) {
    ASSERT_EQ(f.duration_ns, 0u) << what;
  }
  if (f.protocol != 6) {
    ASSERT_EQ(f.tcp_flags, 0) << what;
    return;
  }
  // Every direction saw the handshake, except a server refusing a SYN (RST|ACK).
  ASSERT_TRUE((f.tcp_flags & kTcpSyn) || f.tcp_flags == (kTcpRst | kTcpAck)) << what;
  const bool fin = f.tcp_flags & kTcpFin, rst = f.tcp_flags & kTcpRst;
  ASSERT_FALSE(fin && rst) << what;
  ASSERT_FALSE(f.tcp_flags & ~(kTcpSyn | kTcpAck | kTcpPsh | kTcpFin | kTcpRst)) << what;
}

TEST(Patterns, EveryRecordIsConsistent) {
  for (const PacketSizes sizes : {PacketSizes{}, PacketSizes{20, 9000, 800},
                                  PacketSizes{100, 200, 150}}) {
    for (const PatternSpec& spec : every_pattern()) {
      const auto model = make_flow_model(spec, sizes, "p");
      const Drawn d = draw_flows(*model, 5000, 11);
      for (size_t i = 0; i < d.requests.size(); ++i) {
        const FlowShape& q = d.requests[i];
        const FlowShape& r = d.responses[i];
        const std::string what = spec.name + " flow " + std::to_string(i);
        expect_consistent(q, sizes, what + " request");
        expect_consistent(r, sizes, what + " response");
        if (q.protocol == 6) {
          // Client: one packet is a lone SYN; 3+ packets end with FIN or RST.
          if (q.packets == 1) {
            ASSERT_EQ(q.tcp_flags, kTcpSyn) << what;
          }
          if (q.packets >= 2) {
            ASSERT_TRUE(q.tcp_flags & kTcpAck) << what;
          }
          if (q.packets >= 3) {
            ASSERT_TRUE(q.tcp_flags & (kTcpFin | kTcpRst)) << what;
          // Server: SYN|ACK, or a refusal of a lone SYN.
          }
          if (q.tcp_flags == kTcpSyn) {
            ASSERT_EQ(r.packets, 1u) << what;
            ASSERT_TRUE(r.tcp_flags == (kTcpSyn | kTcpAck) || r.tcp_flags == (kTcpRst | kTcpAck));
          } else {
            ASSERT_EQ(r.tcp_flags & (kTcpSyn | kTcpAck), kTcpSyn | kTcpAck) << what;
          }
        }
        if (q.protocol == 1 && q.dst_port == (8 << 8)) {
          ASSERT_EQ(r.dst_port, 0) << what;
        }
        if (q.protocol == 58) {
          ASSERT_EQ(r.dst_port, 129 << 8) << what;
        }
      }
    }
  }
}

TEST(Patterns, PortsAndProtocolsFollowTheTables) {
  for (const BuiltinPattern& b : builtin_patterns()) {
    const auto model = make_flow_model(builtin_spec(b.type), {}, "p");
    const Drawn d = draw_flows(*model, kFlows, 12);
    for (size_t v = 0; v < b.services.size(); ++v) {
      const ServiceSpec& s = b.services[v];
      std::vector<double> counts(s.ports.size(), 0);
      double in_variant = 0;
      for (const FlowShape& q : d.requests) {
        if (q.variant != v) continue;
        in_variant += 1;
        ASSERT_EQ(q.protocol, s.protocol) << b.type;
        if (s.ports.empty()) {
          ASSERT_GE(q.dst_port, 1) << b.type;
          continue;
        }
        const auto it = std::find(s.ports.begin(), s.ports.end(), q.dst_port);
        ASSERT_NE(it, s.ports.end()) << b.type << " port " << q.dst_port;
        counts[size_t(it - s.ports.begin())] += 1;
      }
      // Share of the variant and of each port: within 5 standard errors.
      double total_weight = 0;
      for (const ServiceSpec& other : b.services) total_weight += other.weight;
      const double share = s.weight / total_weight;
      EXPECT_NEAR(in_variant / kFlows, share, 5 * std::sqrt(share * (1 - share) / kFlows)) << b.type;
      const double port_total = std::accumulate(s.port_weights.begin(), s.port_weights.end(), 0.0);
      for (size_t i = 0; i < counts.size(); ++i) {
        const double p = s.port_weights[i] / port_total;
        EXPECT_NEAR(counts[i] / in_variant, p, 5 * std::sqrt(p * (1 - p) / in_variant) + 1e-9)
            << b.type << " port " << s.ports[i];
      }
    }
  }
}

TEST(Patterns, PacketsPerFlowMatchTheBuiltinTables) {
  for (const BuiltinPattern& b : builtin_patterns()) {
    const auto model = make_flow_model(builtin_spec(b.type), {}, "p");
    const Drawn d = draw_flows(*model, 60000, 13);
    for (size_t v = 0; v < b.services.size(); ++v) {
      std::vector<double> packets;
      for (const FlowShape& q : d.requests)
        if (q.variant == v) packets.push_back(q.packets);
      const Cdf cdf = rounded_clamped(mixture_cdf(b.services[v].packets), 1, kMaxPacketsPerFlow);
      EXPECT_LT(chi_square_ratio(packets, cdf, 1, kMaxPacketsPerFlow), 1)
          << b.type << " " << b.services[v].label;
    }
  }
}

TEST(Patterns, PacketSizesMatchTheBuiltinTables) {
  // With one packet per flow, a flow's bytes are exactly one packet size.
  const PacketSizes sizes;
  for (const BuiltinPattern& b : builtin_patterns()) {
    PatternSpec spec = builtin_spec(b.type);
    spec.dist[FLOWGEN_Q_PACKETS] = fixed_dist(1);
    spec.dist[FLOWGEN_Q_RESPONSE_PACKETS] = fixed_dist(1);
    const auto model = make_flow_model(spec, sizes, "p");
    const Drawn d = draw_flows(*model, 60000, 14);
    for (size_t v = 0; v < b.services.size(); ++v) {
      const ServiceSpec& s = b.services[v];
      const double lo = std::max<double>(sizes.min_size, min_header_bytes(s.protocol));
      const double hi = s.max_packet_size ? std::min<double>(sizes.max_size, s.max_packet_size)
                                          : sizes.max_size;
      auto law = [&](const std::vector<Component>& parts) {
        return parts.empty() ? mixture_cdf({{1, uniform_dist(lo, hi)}}) : mixture_cdf(parts);
      };
      std::vector<double> request, response;
      for (size_t i = 0; i < d.requests.size(); ++i) {
        if (d.requests[i].variant != v) continue;
        request.push_back(double(d.requests[i].bytes));
        response.push_back(double(d.responses[i].bytes));
      }
      EXPECT_LT(chi_square_ratio(request, rounded_clamped(law(s.packet_size), lo, hi), lo, hi), 1)
          << b.type << " " << s.label;
      if (s.response_larger) continue;  // conditional on the query: checked below
      EXPECT_LT(chi_square_ratio(response, rounded_clamped(law(s.response_packet_size), lo, hi),
                                 lo, hi), 1)
          << b.type << " " << s.label;
    }
  }
}

TEST(Patterns, DurationsMatchTheGapTables) {
  // Two packets per flow: the duration is exactly one gap.
  for (const BuiltinPattern& b : builtin_patterns()) {
    PatternSpec spec = builtin_spec(b.type);
    spec.dist[FLOWGEN_Q_PACKETS] = fixed_dist(2);
    const auto model = make_flow_model(spec, {}, "p");
    const Drawn d = draw_flows(*model, kFlows, 15);
    for (size_t v = 0; v < b.services.size(); ++v) {
      std::vector<double> ms;
      for (const FlowShape& q : d.requests)
        if (q.variant == v) ms.push_back(double(q.duration_ns) / 1e6);
      EXPECT_LT(ks_statistic(ms, mixture_cdf(b.services[v].gap_ms)), ks_critical(ms.size()))
          << b.type << " " << b.services[v].label;
    }
  }
}

TEST(Patterns, ResponsePacketsAndResetsFollowTheTables) {
  // Ten request packets: response packets = round(10 * ratio * e^(sigma Z)), and the share
  // of client RSTs is the service's reset probability.
  for (const BuiltinPattern& b : builtin_patterns()) {
    PatternSpec spec = builtin_spec(b.type);
    spec.dist[FLOWGEN_Q_PACKETS] = fixed_dist(10);
    const auto model = make_flow_model(spec, {}, "p");
    const Drawn d = draw_flows(*model, kFlows, 22);
    for (size_t v = 0; v < b.services.size(); ++v) {
      const ServiceSpec& s = b.services[v];
      std::vector<double> responses;
      double resets = 0;
      for (size_t i = 0; i < kFlows; ++i) {
        if (d.requests[i].variant != v) continue;
        responses.push_back(d.responses[i].packets);
        if (d.requests[i].tcp_flags & kTcpRst) resets += 1;
      }
      const double n = double(responses.size());
      const double p = s.protocol == 6 ? s.reset_probability : 0;
      EXPECT_NEAR(resets / n, p, 5 * std::sqrt(p * (1 - p) / n) + 1e-12) << b.type << " " << s.label;
      if (s.response_sigma == 0) {
        for (double r : responses) ASSERT_EQ(r, std::max(1.0, std::floor(10 * s.response_ratio + 0.5)));
        continue;
      }
      const Distribution law = lognormal_dist(std::log(10 * s.response_ratio), s.response_sigma);
      const Cdf cdf = rounded_clamped([&](double x) { return cdf_of(law, x); }, 1, kMaxPacketsPerFlow);
      EXPECT_LT(chi_square_ratio(responses, cdf, 1, kMaxPacketsPerFlow), 1) << b.type << " " << s.label;
    }
  }
}

TEST(Patterns, LongFlowsKeepTheMeanPacketSize) {
  // Flows above 16 packets sum their sizes by the normal approximation: the bytes per
  // packet must still average the clamped packet-size mean.
  PatternSpec spec = builtin_spec("web_traffic");
  spec.dist[FLOWGEN_Q_PACKETS] = uniform_dist(100, 300);
  const PacketSizes sizes;
  const auto model = make_flow_model(spec, sizes, "p");
  const Drawn d = draw_flows(*model, 20000, 16);
  const Sampler size = Sampler::mixture(builtin_patterns()[0].services[0].packet_size);
  const Moments m = size.clamped_moments(64, 1500);
  double bytes = 0, packets = 0;
  for (const FlowShape& q : d.requests) {
    bytes += double(q.bytes);
    packets += q.packets;
  }
  // Standard error of the ratio: sd / sqrt(total packets).
  EXPECT_NEAR(bytes / packets, m.mean, 5 * m.sd / std::sqrt(packets));
}

TEST(Patterns, ResponsesFollowTheirProtocol) {
  {
    const auto dns = make_flow_model(builtin_spec("dns_traffic"), {}, "p");
    const Drawn d = draw_flows(*dns, kFlows, 17);
    for (size_t i = 0; i < kFlows; ++i) {
      const FlowShape& q = d.requests[i];
      const FlowShape& r = d.responses[i];
      ASSERT_EQ(r.packets, q.packets);  // one answer per query (and retry)
      ASSERT_GT(r.bytes / r.packets, q.bytes / q.packets);
      ASSERT_LE(r.bytes / r.packets, 1232u + 28);  // EDNS(0) limit of DNS Flag Day 2020
    }
  }
  for (const char* type : {"web_traffic", "ftp_traffic", "smtp_traffic"}) {
    const auto model = make_flow_model(builtin_spec(type), {}, "p");
    const Drawn d = draw_flows(*model, kFlows, 18);
    double request = 0, response = 0;
    for (size_t i = 0; i < kFlows; ++i) {
      request += double(d.requests[i].bytes);
      response += double(d.responses[i].bytes);
    }
    if (std::string(type) == "web_traffic") {
      EXPECT_GT(response, 3 * request);   // downloads
    }
    if (std::string(type) == "smtp_traffic") {
      EXPECT_GT(request, 3 * response);  // uploads
    }
    if (std::string(type) == "ftp_traffic") {
      EXPECT_GT(request, response);       // data port 20
    }
  }
}

TEST(Patterns, CustomPatternUsesConfiguredLaws) {
  PatternSpec spec;
  spec.type = "custom";
  spec.name = "telemetry";
  spec.protocol = 17;
  spec.ports = {4739, 2055, 6343};
  spec.port_weights = {0.5, 0.3, 0.2};
  spec.dist[FLOWGEN_Q_PACKETS] = pareto_dist(2, 1.3);
  spec.dist[FLOWGEN_Q_PACKET_SIZE] = normal_dist(700, 100);
  spec.dist[FLOWGEN_Q_RESPONSE_PACKETS] = empirical_dist({1, 2}, {0.75, 0.25});
  spec.dist[FLOWGEN_Q_DURATION_MS] = lognormal_dist(std::log(250), 0.5);
  const auto model = make_flow_model(spec, {}, "p");
  const Drawn d = draw_flows(*model, kFlows, 19);
  std::vector<double> ports, packets, responses, ms, single;
  for (size_t i = 0; i < kFlows; ++i) {
    const FlowShape& q = d.requests[i];
    ports.push_back(q.dst_port == 4739 ? 1 : q.dst_port == 2055 ? 2 : q.dst_port == 6343 ? 3 : 9);
    packets.push_back(q.packets);
    responses.push_back(d.responses[i].packets);
    if (q.packets > 1) ms.push_back(double(q.duration_ns) / 1e6);
    if (q.packets == 1) single.push_back(double(q.bytes));
    ASSERT_EQ(q.protocol, 17);
  }
  const Distribution port_law = empirical_dist({1, 2, 3}, {0.5, 0.3, 0.2});
  EXPECT_LT(chi_square_ratio(ports, [&](double v) { return cdf_of(port_law, v); }, 1, 10), 1);
  EXPECT_LT(chi_square_ratio(packets,
                             rounded_clamped([&](double x) { return cdf_of(spec.dist[1], x); }, 1,
                                             kMaxPacketsPerFlow),
                             1, kMaxPacketsPerFlow), 1);
  EXPECT_LT(chi_square_ratio(responses, [&](double v) { return cdf_of(spec.dist[4], v); }, 1, 3), 1);
  EXPECT_LT(ks_statistic(ms, [&](double x) { return cdf_of(spec.dist[2], x); }),
            ks_critical(ms.size()));
  EXPECT_LT(chi_square_ratio(single,
                             rounded_clamped([&](double x) { return cdf_of(spec.dist[0], x); }, 64,
                                             1500),
                             64, 1500), 1);
}

TEST(Patterns, SameSeedSameFlows) {
  for (const PatternSpec& spec : every_pattern()) {
    const auto model = make_flow_model(spec, {}, "p");
    const Drawn a = draw_flows(*model, 200, 20), b = draw_flows(*model, 200, 20);
    for (size_t i = 0; i < 200; ++i) {
      ASSERT_EQ(a.requests[i].bytes, b.requests[i].bytes);
      ASSERT_EQ(a.responses[i].duration_ns, b.responses[i].duration_ns);
      ASSERT_EQ(a.responses[i].tcp_flags, b.responses[i].tcp_flags);
    }
  }
}

TEST(Rtt, ScalarSamplerMatchesItsLaw) {
  const Distribution law = lognormal_dist(std::log(30), 0.6);
  const auto rtt = make_scalar_sampler(law, "generation.bidirectional.rtt_ms");
  Rng rng(21);
  std::vector<double> ms(40000);
  for (double& x : ms) x = rtt->sample(rng);
  EXPECT_LT(ks_statistic(ms, [&](double x) { return cdf_of(law, x); }), ks_critical(ms.size()));
  const auto fallback = make_scalar_sampler(Distribution{}, "generation.bidirectional.rtt_ms");
  for (int i = 0; i < 1000; ++i) EXPECT_GE(fallback->sample(rng), 0);
}

}  // namespace
}  // namespace flowgen::detail
