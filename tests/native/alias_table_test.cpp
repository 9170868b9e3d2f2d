// AliasTable: the shortcut table must give exactly what the full alias draw gives, for
// every 32-bit draw, so that the fast path changes no output. Checked at every slot's two
// ends (where a step inside the slot would show) and at random draws, for weight sets of
// several shapes, plus the exact probabilities the table encodes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "alias_table.hpp"
#include "rng.hpp"

namespace flowgen::detail {
namespace {

void expect_fast_equals_full(const std::vector<double>& weights) {
  const AliasTable table(weights);
  const AliasView v = table.view();
  constexpr unsigned kShift = 32 - kShortcutBits;
  uint32_t mixed = 0;
  for (uint32_t slot = 0; slot < (1u << kShortcutBits); ++slot) {
    const uint32_t first = slot << kShift, last = first | ((1u << kShift) - 1);
    for (const uint32_t r : {first, first + 1, (first + last) / 2, last - 1, last})
      ASSERT_EQ(v.sample32_fast(r), v.sample32(r)) << "slot " << slot << " r " << r;
    mixed += v.shortcut[slot] == kShortcutMixed;
  }
  Rng rng(7);
  for (int k = 0; k < 200000; ++k) {
    const uint32_t r = uint32_t(rng.next());
    ASSERT_EQ(v.sample32_fast(r), v.sample32(r)) << "r " << r;
  }
  // At most two steps per column (its own index, then its alias), each splitting a slot.
  if (weights.size() < kShortcutMixed) {
    EXPECT_LE(mixed, 2 * weights.size()) << weights.size() << " weights";
  } else {
    EXPECT_EQ(mixed, 1u << kShortcutBits) << "indices above 16 bits always take the full path";
  }
}

TEST(AliasTable, ShortcutEqualsFullDrawForOneWeight) { expect_fast_equals_full({3}); }

TEST(AliasTable, ShortcutEqualsFullDrawForUnevenWeights) {
  expect_fast_equals_full({70, 30});
  expect_fast_equals_full({40, 20, 15, 10, 15});
  expect_fast_equals_full({1e-9, 1, 0, 5, 1e-6, 2});
}

TEST(AliasTable, ShortcutEqualsFullDrawForManyWeights) {
  std::vector<double> weights;
  for (int i = 0; i < 5000; ++i) weights.push_back(1 + (i * 7919) % 101);
  expect_fast_equals_full(weights);
  weights.assign(70000, 1.0);
  expect_fast_equals_full(weights);
}

TEST(AliasTable, ProbabilitiesFollowTheWeights) {
  const AliasTable table({40, 20, 15, 10, 15});
  const double expected[] = {0.40, 0.20, 0.15, 0.10, 0.15};
  for (uint32_t i = 0; i < 5; ++i) EXPECT_NEAR(table.probability(i), expected[i], 1e-9);
}

}  // namespace
}  // namespace flowgen::detail
