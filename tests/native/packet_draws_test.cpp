// packet_draws.hpp: the packet fast path's forms of Rng::mix and mul_shift must give the
// very values of the portable forms (the output is pinned by golden tests and checkpoints).
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

#include "packet_draws.hpp"
#include "record_math.hpp"
#include "rng.hpp"

namespace flowgen::detail {
namespace {

TEST(PacketDraws, MixAtIsRngMixAtTheSlot) {
  Rng rng(11);
  const uint64_t inc = Rng::kIncrement;
  for (int k = 0; k < 200000; ++k) {
    const uint64_t s = k < 4 ? uint64_t(0) - uint64_t(k) : rng.next();
    ASSERT_EQ(mix_at<0>(s), Rng::mix(s)) << s;
    ASSERT_EQ(mix_at<1>(s), Rng::mix(s + inc)) << s;
    ASSERT_EQ(mix_at<3>(s), Rng::mix(s + 3 * inc)) << s;
  }
  // The stream itself: consecutive draws are mix_at of the state before them.
  Rng stream(42, 3);
  for (int k = 0; k < 1000; ++k) {
    const uint64_t before = stream.state();
    ASSERT_EQ(mix_at<1>(before), stream.next());
  }
}

TEST(PacketDraws, MulHigh32IsMulShift) {
  for (const uint32_t a : {0u, 1u, 2u, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu})
    for (const uint32_t b : {0u, 1u, 2u, 16384u, 65535u, 65536u, 0xfffffffeu, 0xffffffffu})
      ASSERT_EQ(mul_high32(a, b), mul_shift(a, b)) << a << " " << b;
  Rng rng(5);
  for (int k = 0; k < 200000; ++k) {
    const uint64_t r = rng.next();
    const uint32_t a = uint32_t(r), b = uint32_t(r >> 32);
    ASSERT_EQ(mul_high32(a, b), mul_shift(a, b)) << a << " " << b;
  }
}

}  // namespace
}  // namespace flowgen::detail
