// AliasTable: Walker/Vose alias method. Draws an index with probability proportional to
// its weight in O(1) with one 64-bit random number and no data-dependent branch: the low
// 32 bits pick a column (multiply-shift), the high 32 bits toss the column's biased coin.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace flowgen::detail {

// keep ? column : alias, with a mask instead of a branch: the coin is random, so a branch
// would be mispredicted half the time (compilers tend to emit one for the ternary).
inline uint32_t select_column(uint32_t column, uint32_t alias, bool keep) noexcept {
  const uint32_t mask = 0u - uint32_t(keep);
  return (column & mask) | (alias & ~mask);
}

// Slots of the shortcut table: the top kShortcutBits of a 32-bit draw name a slot.
constexpr unsigned kShortcutBits = 12;
constexpr uint16_t kShortcutMixed = 0xffff;  // the slot's draws give more than one index

// A non-owning view of an AliasTable for hot loops (copied into locals, no allocation).
struct AliasView {
  const uint64_t* threshold;
  const uint32_t* alias;
  uint64_t size;
  const uint16_t* shortcut;
  uint32_t sample(uint64_t r) const noexcept {
    const uint32_t column = uint32_t((uint64_t(uint32_t(r)) * size) >> 32);
    return select_column(column, alias[column], (r >> 32) < threshold[column]);
  }
  // The same from 32 random bits: the product's high half picks the column and its low
  // half (the fraction left over, uniform too) tosses the coin. Two draws per 64-bit word.
  uint32_t sample32(uint32_t r) const noexcept {
    const uint64_t product = uint64_t(r) * size;
    const uint32_t column = uint32_t(product >> 32);
    return select_column(column, alias[column], uint32_t(product) < threshold[column]);
  }
  // sample32(r), exactly, in one table load for most r: sample32 is piecewise constant in
  // r with at most 2 x size steps, so all but a few of the 4096 slots (ranges of r sharing
  // their top 12 bits) hold a single index; the others say so and take the full path.
  // Returned as size_t, zero-extended in the cold path, so that hot loops index with the
  // table's 16-bit load as it is.
  size_t sample32_fast(uint32_t r) const noexcept {
    const size_t index = shortcut[r >> (32 - kShortcutBits)];
    if (__builtin_expect(index != kShortcutMixed, 1)) return index;
    return sample32_cold(r);
  }
  // Out of line, so that the rare full path does not claim registers of the hot loop.
  [[gnu::cold, gnu::noinline]] size_t sample32_cold(uint32_t r) const noexcept {
    return sample32(r);
  }
};

class AliasTable {
 public:
  AliasTable() = default;
  // `weights` must be non-negative with a positive sum (validated by the config).
  explicit AliasTable(const std::vector<double>& weights) { build(weights); }

  void build(const std::vector<double>& weights) {
    const size_t n = weights.size();
    if (n == 0 || n > 0xffffffffu) throw std::invalid_argument("alias table: bad size");
    double sum = 0;
    for (double w : weights) sum += w;
    if (!(sum > 0)) throw std::invalid_argument("alias table: weights sum to zero");
    threshold_.assign(n, 0);
    alias_.assign(n, 0);
    columns_ = n;
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * double(n) / sum;
      (scaled[i] < 1.0 ? small : large).push_back(uint32_t(i));
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t s = small.back(), l = large.back();
      small.pop_back();
      set(s, scaled[s], l);
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // Leftovers are 1 up to rounding: they always keep their own index.
    for (uint32_t i : small) set(i, 1.0, i);
    for (uint32_t i : large) set(i, 1.0, i);
    build_shortcut();
  }

  uint32_t size() const noexcept { return uint32_t(threshold_.size()); }
  AliasView view() const noexcept {
    return {threshold_.data(), alias_.data(), threshold_.size(), shortcut_.data()};
  }

  // Forced inline: called several times per record in the fill loops, where GCC's inliner
  // may run out of growth budget.
  [[gnu::always_inline]] uint32_t sample(uint64_t r) const noexcept {
    const uint32_t column = uint32_t((uint64_t(uint32_t(r)) * columns_) >> 32);
    return select_column(column, alias_[column], (r >> 32) < threshold_[column]);
  }

  // Exact probability of index i (for tests): sum of the column's own share and aliases.
  double probability(uint32_t i) const {
    double p = 0;
    const double n = double(threshold_.size());
    for (size_t c = 0; c < threshold_.size(); ++c) {
      const double own = double(threshold_[c]) / 4294967296.0;
      if (c == i) p += own / n;
      if (alias_[c] == i) p += (1.0 - own) / n;
    }
    return p;
  }

 private:
  void set(uint32_t column, double keep, uint32_t alias) {
    const double t = keep * 4294967296.0;
    threshold_[column] = t >= 4294967296.0 ? (uint64_t(1) << 32) : uint64_t(t);
    alias_[column] = alias;
  }

  // Within a column the coin's fraction grows with r (kept first, then the alias), so a
  // slot [first, last] of r gives one index when both ends fall in the same column on the
  // same side of its threshold.
  void build_shortcut() {
    shortcut_.assign(size_t(1) << kShortcutBits, kShortcutMixed);
    if (threshold_.size() >= kShortcutMixed) return;  // indices would not fit: all mixed
    const AliasView v = {threshold_.data(), alias_.data(), threshold_.size(), nullptr};
    const auto side = [&](uint32_t r) {
      const uint64_t product = uint64_t(r) * v.size;
      const uint32_t column = uint32_t(product >> 32);
      return std::pair<uint32_t, bool>(column, uint32_t(product) < threshold_[column]);
    };
    constexpr unsigned kShift = 32 - kShortcutBits;
    for (uint32_t slot = 0; slot < shortcut_.size(); ++slot) {
      const uint32_t first = slot << kShift, last = first | ((uint32_t(1) << kShift) - 1);
      if (side(first) == side(last)) shortcut_[slot] = uint16_t(v.sample32(first));
    }
  }

  std::vector<uint64_t> threshold_;  // coin < threshold keeps the column, in 2^-32 units
  std::vector<uint32_t> alias_;
  uint64_t columns_ = 0;             // threshold_.size(), without recomputing it per draw
  std::vector<uint16_t> shortcut_;   // sample32 by the draw's top bits, or kShortcutMixed
};

}  // namespace flowgen::detail
