// Sampler construction (config time) and sampling (hot path). See distributions.hpp for
// why continuous laws go through quantile tables.
#include "distributions.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "abi_guard.hpp"
#include "flowgen/flowgen.h"

// Interpolation must not be fused into an FMA on some targets and not on others.
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

namespace flowgen::detail {
namespace {

constexpr double kHuge = 1e300;  // knots are clamped here so interpolation stays finite

double finite_or_huge(double x) {
  if (std::isnan(x)) return kHuge;
  return std::min(kHuge, std::max(-kHuge, x));
}

// lo + f * (hi - lo) as separate statements (no FMA contraction).

inline double round_clamp(double x, double lo, double hi) {
  const double c = std::min(hi, std::max(lo, x));
  return std::floor(c + 0.5);
}

inline double lerp(double lo, double hi, double f) noexcept { return sampler_lerp(lo, hi, f); }

std::string number(double v) {
  std::ostringstream out;
  out.precision(10);
  out << v;
  return out.str();
}

// Quantile of a continuous law: q(p) for the lower half, q_upper(t) = q(1 - t).
struct ContinuousLaw {
  std::function<double(double)> lower;
  std::function<double(double)> upper;
};

ContinuousLaw law_of(const Distribution& d) {
  const double a = d.a, b = d.b;
  switch (d.kind) {
    case FLOWGEN_DIST_FIXED:
      return {[a](double) { return a; }, [a](double) { return a; }};
    case FLOWGEN_DIST_UNIFORM:
      return {[a, b](double p) { return a + (b - a) * p; },
              [a, b](double t) { return b - (b - a) * t; }};
    case FLOWGEN_DIST_NORMAL:
      if (b == 0) return law_of(fixed_dist(a));
      return {[a, b](double p) { return a + b * normal_quantile(p); },
              [a, b](double t) { return a + b * normal_upper_quantile(t); }};
    case FLOWGEN_DIST_LOGNORMAL:
      return {[a, b](double p) { return std::exp(a + b * normal_quantile(p)); },
              [a, b](double t) { return std::exp(a + b * normal_upper_quantile(t)); }};
    case FLOWGEN_DIST_PARETO:
      return {[a, b](double p) { return a * std::exp(-std::log1p(-p) / b); },
              [a, b](double t) { return a * std::exp(-std::log(t) / b); }};
    default:
      throw std::logic_error("law_of: not a continuous law");
  }
}

}  // namespace

// ------------------------------------------------------------------ constructors

Distribution fixed_dist(double value) {
  Distribution d;
  d.kind = FLOWGEN_DIST_FIXED;
  d.a = value;
  return d;
}
Distribution uniform_dist(double min, double max) {
  Distribution d;
  d.kind = FLOWGEN_DIST_UNIFORM;
  d.a = min;
  d.b = max;
  return d;
}
Distribution normal_dist(double mean, double sd) {
  Distribution d;
  d.kind = FLOWGEN_DIST_NORMAL;
  d.a = mean;
  d.b = sd;
  return d;
}
Distribution lognormal_dist(double mu, double sigma) {
  Distribution d;
  d.kind = FLOWGEN_DIST_LOGNORMAL;
  d.a = mu;
  d.b = sigma;
  return d;
}
Distribution pareto_dist(double scale, double shape) {
  Distribution d;
  d.kind = FLOWGEN_DIST_PARETO;
  d.a = scale;
  d.b = shape;
  return d;
}
Distribution empirical_dist(std::vector<double> values, std::vector<double> weights) {
  Distribution d;
  d.kind = FLOWGEN_DIST_EMPIRICAL;
  d.values = std::move(values);
  d.weights = std::move(weights);
  return d;
}

// ------------------------------------------------------------------ normal quantile

double normal_quantile(double p) {
  if (!(p > 0)) return -std::numeric_limits<double>::infinity();
  if (!(p < 1)) return std::numeric_limits<double>::infinity();
  // P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
  // function" (2003): relative error < 1.15e-9, then one Halley step on erfc.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                             -2.759285104469687e+02, 1.383577518672690e+02,
                             -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                             -1.556989798598866e+02, 6.680131188771972e+01,
                             -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                             -2.400758277161838e+00, -2.549732539343734e+00,
                             4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                             2.445134137142996e+00, 3.754408661907416e+00};
  const double p_low = 0.02425;
  double x;
  if (p < p_low || p > 1 - p_low) {
    const double tail = p < p_low ? p : 1 - p;
    const double q = std::sqrt(-2 * std::log(tail));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 1 - p_low) x = -x;
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * 2.5066282746310002 /* sqrt(2 pi) */ * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double normal_upper_quantile(double t) { return -normal_quantile(t); }

// ------------------------------------------------------------------ validation

const char* distribution_name(int32_t kind) {
  switch (kind) {
    case FLOWGEN_DIST_FIXED: return "fixed";
    case FLOWGEN_DIST_UNIFORM: return "uniform";
    case FLOWGEN_DIST_NORMAL: return "normal";
    case FLOWGEN_DIST_LOGNORMAL: return "lognormal";
    case FLOWGEN_DIST_PARETO: return "pareto";
    case FLOWGEN_DIST_EMPIRICAL: return "empirical";
    default: return "unknown";
  }
}

void validate_distribution(const Distribution& dist, Domain domain, const std::string& key) {
  const std::string name = distribution_name(dist.kind);
  const bool positive = domain == Domain::kPositive;
  const char* floor_text = positive ? "> 0" : ">= 0";
  auto fail = [&](const std::string& what, double got) {
    throw config_error(key + ": " + name + " " + what + ", got " + number(got));
  };
  auto in_domain = [&](double v) { return positive ? v > 0 : v >= 0; };
  if (dist.kind < FLOWGEN_DIST_FIXED || dist.kind > FLOWGEN_DIST_EMPIRICAL) {
    throw config_error(key + ": unknown distribution kind " + std::to_string(dist.kind) +
                       " (expected fixed, uniform, normal, lognormal, pareto or empirical)");
  }
  if (dist.kind != FLOWGEN_DIST_EMPIRICAL) {
    if (!std::isfinite(dist.a)) fail("parameter a must be finite", dist.a);
    if (!std::isfinite(dist.b)) fail("parameter b must be finite", dist.b);
  }
  switch (dist.kind) {
    case FLOWGEN_DIST_FIXED:
      if (!in_domain(dist.a)) fail(std::string("value must be ") + floor_text, dist.a);
      break;
    case FLOWGEN_DIST_UNIFORM:
      if (!in_domain(dist.a)) fail(std::string("min must be ") + floor_text, dist.a);
      if (dist.b < dist.a) fail("max must be >= min (" + number(dist.a) + ")", dist.b);
      break;
    case FLOWGEN_DIST_NORMAL:
      if (!in_domain(dist.a)) fail(std::string("mean must be ") + floor_text, dist.a);
      if (dist.b < 0) fail("sd must be >= 0", dist.b);
      break;
    case FLOWGEN_DIST_LOGNORMAL:
      if (!(dist.b > 0)) fail("sigma must be > 0", dist.b);
      break;
    case FLOWGEN_DIST_PARETO:
      if (!(dist.a > 0)) fail("scale must be > 0", dist.a);
      if (!(dist.b > 0)) fail("shape must be > 0", dist.b);
      break;
    case FLOWGEN_DIST_EMPIRICAL: {
      if (dist.values.empty()) throw config_error(key + ": empirical table must not be empty");
      if (dist.values.size() != dist.weights.size()) {
        throw config_error(key + ": empirical table has " + std::to_string(dist.values.size()) +
                           " values but " + std::to_string(dist.weights.size()) + " weights");
      }
      double sum = 0;
      for (size_t i = 0; i < dist.values.size(); ++i) {
        const std::string at = "[" + std::to_string(i) + "]";
        if (!std::isfinite(dist.values[i]) || !in_domain(dist.values[i]))
          fail("value" + at + " must be finite and " + floor_text, dist.values[i]);
        if (!std::isfinite(dist.weights[i]) || dist.weights[i] < 0)
          fail("weight" + at + " must be finite and >= 0", dist.weights[i]);
        sum += dist.weights[i];
      }
      if (!(sum > 0)) fail("weights must sum to > 0", sum);
      break;
    }
    default:
      break;
  }
}

// ------------------------------------------------------------------ building

Sampler Sampler::from(const Distribution& dist) {
  Sampler s;
  switch (dist.kind) {
    case FLOWGEN_DIST_FIXED:
      s.kind_ = Kind::kFixed;
      s.a_ = dist.a;
      return s;
    case FLOWGEN_DIST_UNIFORM:
      s.kind_ = Kind::kUniform;
      s.a_ = dist.a;
      s.b_ = dist.b - dist.a;
      return s;
    case FLOWGEN_DIST_NORMAL:
      if (dist.b == 0) return from(fixed_dist(dist.a));
      return table(dist);
    case FLOWGEN_DIST_EMPIRICAL:
      s.kind_ = Kind::kDiscrete;
      s.values_ = dist.values;
      s.pick_.build(dist.weights);
      return s;
    default:
      return table(dist);
  }
}

Sampler Sampler::table(const Distribution& dist) {
  const ContinuousLaw law = law_of(dist);
  Sampler s;
  s.kind_ = Kind::kTable;
  s.knots_.resize(kCells + 1);
  for (uint32_t i = 1; i < kCells; ++i) {
    const double p = double(i) / double(kCells);
    s.knots_[i] = finite_or_huge(p <= 0.5 ? law.lower(p) : law.upper(1.0 - p));
  }
  s.upper_.resize(kTailLevels + 1);
  s.lower_.resize(kTailLevels + 1);
  for (uint32_t j = 0; j <= kTailLevels; ++j) {
    const double t = std::ldexp(1.0, -int(kTableBits + j));
    s.upper_[j] = finite_or_huge(law.upper(t));
    s.lower_[j] = finite_or_huge(law.lower(t));
  }
  // The end knots are only reached by quantile() at u = 0 or 1: use the deepest tail level.
  s.knots_[0] = s.lower_[kTailLevels];
  s.knots_[kCells] = s.upper_[kTailLevels];
  return s;
}

Sampler Sampler::mixture(const std::vector<Component>& parts) {
  if (parts.size() == 1) return from(parts[0].dist);
  Sampler s;
  s.kind_ = Kind::kMixture;
  std::vector<double> weights;
  for (const Component& c : parts) {
    weights.push_back(c.weight);
    // Every component but an empirical one becomes a table (fixed and uniform too), so a
    // draw never branches on the component's kind, which the alias pick makes random.
    s.parts_.push_back(c.dist.kind == FLOWGEN_DIST_EMPIRICAL ? from(c.dist) : table(c.dist));
  }
  s.pick_.build(weights);
  return s;
}

// ------------------------------------------------------------------ sampling

double Sampler::tail(uint64_t r, const std::vector<double>& knots) const noexcept {
  // The leading-zero count of r is level j with probability 2^-(j+1); the bits after the
  // leading one place the draw uniformly inside that dyadic interval.
  const uint32_t zeros = r == 0 ? 64u : uint32_t(__builtin_clzll(r));
  const uint32_t j = zeros < kTailLevels - 1 ? zeros : kTailLevels - 1;
  r <<= j;
  const double f = double((r << 1) >> 12) * 0x1.0p-52;
  return lerp(knots[j + 1], knots[j], f);
}

// ------------------------------------------------------------------ analysis

double Sampler::quantile(double u) const {
  switch (kind_) {
    case Kind::kFixed:
      return a_;
    case Kind::kUniform:
      return a_ + b_ * u;
    case Kind::kTable: {
      const double scaled = u * double(kCells);
      const uint32_t cell = std::min(kCells - 1, uint32_t(scaled));
      if (cell == 0 || cell == kCells - 1) {
        // Position s in (0, 1] of the probability inside the outer cell, from its edge.
        const double s = cell == 0 ? scaled : double(kCells) - scaled;
        if (!(s > 0)) return cell == 0 ? lower_[kTailLevels] : upper_[kTailLevels];
        const uint32_t j = std::min(kTailLevels - 1, uint32_t(std::floor(-std::log2(s))));
        const double f = std::min(1.0, std::ldexp(s, int(j) + 1) - 1.0);
        const std::vector<double>& knots = cell == 0 ? lower_ : upper_;
        return lerp(knots[j + 1], knots[j], f);
      }
      return lerp(knots_[cell], knots_[cell + 1], scaled - double(cell));
    }
    case Kind::kDiscrete: {
      std::vector<std::pair<double, double>> sorted;
      for (uint32_t i = 0; i < values_.size(); ++i)
        sorted.emplace_back(values_[i], pick_.probability(i));
      std::sort(sorted.begin(), sorted.end());
      double cumulative = 0;
      for (const auto& [value, p] : sorted) {
        cumulative += p;
        if (u < cumulative) return value;
      }
      return sorted.back().first;
    }
    case Kind::kMixture:
      break;
  }
  throw std::logic_error("Sampler::quantile: not defined for mixtures");
}

Moments Sampler::clamped_moments(double lo, double hi) const {
  double sum = 0, sum_sq = 0;
  if (kind_ == Kind::kMixture || kind_ == Kind::kDiscrete) {
    for (uint32_t i = 0; i < pick_.size(); ++i) {
      const double w = pick_.probability(i);
      if (kind_ == Kind::kDiscrete) {
        const double v = round_clamp(values_[i], lo, hi);
        sum += w * v;
        sum_sq += w * v * v;
      } else {
        const Moments m = parts_[i].clamped_moments(lo, hi);
        sum += w * m.mean;
        sum_sq += w * (m.sd * m.sd + m.mean * m.mean);
      }
    }
  } else {
    // Midpoint rule over the quantile function: exact for fixed, accurate to ~1e-4 else.
    const int points = 1 << 14;
    for (int i = 0; i < points; ++i) {
      const double v = round_clamp(quantile((i + 0.5) / points), lo, hi);
      sum += v;
      sum_sq += v * v;
    }
    sum /= points;
    sum_sq /= points;
  }
  return {sum, std::sqrt(std::max(0.0, sum_sq - sum * sum))};
}

}  // namespace flowgen::detail
