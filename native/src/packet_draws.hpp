// Exact, cheaper forms of Rng::mix and mul_shift for the packet fast path's loops
// (packet_fill.cpp): the same values (tests/native/packet_draws_test.cpp), in fewer
// instructions and registers than GCC makes of the portable forms.
#pragma once

#include <cstdint>

#include "record_math.hpp"
#include "rng.hpp"

namespace flowgen::detail {

// Rng::mix(state + kSlots * kIncrement), the same value, with both 64-bit constants as
// immediates and the multiplier state ^ K built in rax (the state is the other operand, so
// the product, which commutes, needs no copy of it). Through Rng::mix GCC holds the
// constants in registers, spilling column pointers, and adds up to three moves per draw.
template <uint64_t kSlots>
inline uint64_t mix_at(uint64_t state) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  constexpr uint64_t kMix = Rng::kMixKey;
  uint64_t out, clobbered;
  if constexpr (kSlots == 0) {
    __asm__("movabsq %[k], %%rax\n\txorq %[s], %%rax\n\tmulq %[s]\n\txorq %%rdx, %%rax"
            : "=&a"(out), "=&d"(clobbered)
            : [s] "r"(state), [k] "i"(kMix)
            : "cc");
  } else {
    __asm__("movabsq %[o], %%rdx\n\taddq %[s], %%rdx\n\t"
            "movabsq %[k], %%rax\n\txorq %%rdx, %%rax\n\tmulq %%rdx\n\txorq %%rdx, %%rax"
            : "=&a"(out), "=&d"(clobbered)
            : [s] "r"(state), [k] "i"(kMix), [o] "i"(kSlots * Rng::kIncrement)
            : "cc");
  }
  return out;
#else
  return Rng::mix(state + kSlots * Rng::kIncrement);
#endif
}

// mul_shift(a, b): the high half of a 32-bit mul lands in edx, with b straight from memory,
// where GCC widens to a 64-bit imul and needs a load and a shift more.
inline uint32_t mul_high32(uint32_t a, uint32_t b) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  uint32_t hi;
  __asm__("mull %2" : "+a"(a), "=d"(hi) : "rm"(b) : "cc");
  return hi;
#else
  return mul_shift(a, b);
#endif
}

}  // namespace flowgen::detail
