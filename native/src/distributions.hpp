// Samplers for the configured distributions (FLOWGEN_DIST_*) and the built-in mixtures.
//
// Determinism: every continuous law (normal, lognormal, pareto) is sampled through a
// quantile table built once at config time; sampling then uses only +, -, *, / and integer
// bit operations, which IEEE 754 rounds identically everywhere. libm (log, exp, erfc) runs
// only while building tables, where a last-ulp difference between libms moves a knot by
// ~1e-16 relative, and results are rounded to integers by the models anyway.
// std::*_distribution is never used: its algorithms differ between standard libraries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alias_table.hpp"
#include "flow_model.hpp"
#include "rng.hpp"

namespace flowgen::detail {

// What values a quantity may take; decides the validation of its parameters.
enum class Domain {
  kPositive,     // sizes, packet counts: every value > 0
  kNonNegative,  // durations, RTT: every value >= 0
};

// One component of a built-in mixture: a distribution with a weight.
struct Component {
  double weight;
  Distribution dist;
};

// Convenience constructors for built-in tables and tests.
Distribution fixed_dist(double value);
Distribution uniform_dist(double min, double max);
Distribution normal_dist(double mean, double sd);
Distribution lognormal_dist(double mu, double sigma);
Distribution pareto_dist(double scale, double shape);
Distribution empirical_dist(std::vector<double> values, std::vector<double> weights);

// Mean and standard deviation of a sampler's values after clamping to [lo, hi] and
// rounding to integers (per-packet sizes), computed at config time.
struct Moments {
  double mean = 0;
  double sd = 0;
};

// lo + f * (hi - lo) as separate statements, so that no compiler fuses it into an FMA on
// one target and not on another (clang's default -ffp-contract=on fuses within a statement).
inline double sampler_lerp(double lo, double hi, double f) noexcept {
  const double step = hi - lo;
  const double offset = f * step;
  return lo + offset;
}

class Sampler {
 public:
  // Cells of the main quantile table (a power of two: the cell is the top bits of a draw).
  static constexpr int kTableBits = 8;
  static constexpr uint32_t kCells = 1u << kTableBits;
  // Dyadic tail levels: the outermost cell splits into probabilities 2^-(8+j), j < 44.
  static constexpr uint32_t kTailLevels = 44;

  Sampler() = default;
  // Forced inline: called a handful of times per record, where a call costs as much as
  // the table lookup itself.
  [[gnu::always_inline]] double sample(Rng& rng) const noexcept {
    // Tables and mixtures are the common kinds on the hot path: test them first.
    if (kind_ == Kind::kTable) return sample_table(rng);
    if (kind_ == Kind::kMixture) return parts_[pick_.sample(rng.next())].sample_part(rng);
    switch (kind_) {
      case Kind::kFixed: return a_;
      case Kind::kUniform: return a_ + b_ * rng.uniform();
      case Kind::kTable: return sample_table(rng);
      case Kind::kDiscrete: return values_[pick_.sample(rng.next())];
      case Kind::kMixture: return parts_[pick_.sample(rng.next())].sample_part(rng);
    }
    return a_;
  }
  // Deterministic quantile used by tests and moment computations (u in [0, 1)).
  double quantile(double u) const;
  Moments clamped_moments(double lo, double hi) const;

  // Builders. Parameters must already be validated (see validate_distribution()).
  static Sampler from(const Distribution& dist);
  static Sampler mixture(const std::vector<Component>& parts);
  // Any law but empirical as a quantile table (exact for fixed and uniform).
  static Sampler table(const Distribution& dist);

 private:
  enum class Kind : uint8_t { kFixed, kUniform, kTable, kDiscrete, kMixture };
  // Components of a mixture are tables or empirical tables (Sampler::mixture).
  [[gnu::always_inline]] double sample_part(Rng& rng) const noexcept {
    if (kind_ == Kind::kTable) return sample_table(rng);
    return values_[pick_.sample(rng.next())];
  }
  // Top 8 bits pick the cell, bits 11..52 place the draw inside it; the two outer cells
  // continue in their dyadic tail tables with a second draw.
  [[gnu::always_inline]] double sample_table(Rng& rng) const noexcept {
    const uint64_t r = rng.next();
    const uint32_t cell = uint32_t(r >> (64 - kTableBits));
    // One unsigned comparison catches both outer cells (0 wraps around to 2^32 - 1).
    if (cell - 1u >= kCells - 2) return tail(rng.next(), cell == 0 ? lower_ : upper_);
    const double f = double(int64_t((r >> 11) & ((uint64_t(1) << 42) - 1))) * 0x1.0p-42;
    const double* knots = knots_.data();
    return sampler_lerp(knots[cell], knots[cell + 1], f);
  }
  double tail(uint64_t r, const std::vector<double>& knots) const noexcept;

  Kind kind_ = Kind::kFixed;
  double a_ = 0;  // fixed value, or uniform min
  double b_ = 0;  // uniform max - min
  std::vector<double> knots_;  // kCells + 1 quantiles at i / kCells
  std::vector<double> upper_;  // upper_[j] = Q(1 - 2^-(8+j))
  std::vector<double> lower_;  // lower_[j] = Q(2^-(8+j))
  std::vector<double> values_;  // discrete values (empirical)
  AliasTable pick_;             // discrete value or mixture component
  std::vector<Sampler> parts_;  // mixture components
};

// Throws config_error naming `key` if `dist` is not a valid law for `domain`, e.g.
// "traffic_patterns[3].packet_size: lognormal sigma must be > 0, got -1".
void validate_distribution(const Distribution& dist, Domain domain, const std::string& key);

// Sampler of a scalar law with values >= 0 (the RTT), validated under `key`; an unset law
// gets the documented default. make_scalar_sampler() wraps it; the generator holds the
// Sampler itself so that a draw is not a virtual call. models_factory.cpp.
Sampler scalar_sampler(const Distribution& dist, const std::string& key);

// Name of a FLOWGEN_DIST_* kind ("lognormal"), or "unknown".
const char* distribution_name(int32_t kind);

// Standard normal quantile (Acklam's rational approximation refined by one Halley step);
// config time only.
double normal_quantile(double p);
// Standard normal quantile of the upper tail: Q(1 - t), accurate for tiny t.
double normal_upper_quantile(double t);

}  // namespace flowgen::detail
