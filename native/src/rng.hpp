// Rng: wyrand (Wang Yi), a 64-bit generator with one multiply per draw. Its whole state is
// one uint64_t, which makes checkpoints trivial and streams cheap to split (shards).
// Every random choice in the engine goes through this type so that a seed fixes the output
// on every platform.
#pragma once

#include <cstdint>

namespace flowgen::detail {

// splitmix64: turns a seed (or seed + stream index) into a well-mixed state.
inline uint64_t splitmix64(uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  Rng() = default;
  explicit Rng(uint64_t seed, uint64_t stream = 0) noexcept
      : state_(splitmix64(seed ^ splitmix64(stream + 0x632be59bd9b4e019ULL))) {}

  // The state only counts (state += kIncrement); the output mixes it. So draw k ahead is
  // mix(state + (k + 1) * kIncrement): hot loops use that to give every record a fixed
  // block of draws and fill columns in separate passes without depending on batch bounds.
  static constexpr uint64_t kIncrement = 0xa0761d6478bd642fULL;
  static constexpr uint64_t kMixKey = 0xe7037ed1a0b428dbULL;  // the multiplier is state ^ key
  // Forced inline (mix, next): GCC's inliner runs out of growth budget in the large fill
  // loops and would otherwise call a five-instruction function.
  [[gnu::always_inline]] static uint64_t mix(uint64_t state) noexcept {
    const uint64_t other = state ^ kMixKey;
#if defined(__x86_64__) && defined(__GNUC__)
    // GCC 12 round-trips a 128-bit product through the stack in register-heavy loops
    // (a store and a reload on the critical path); one mulq keeps both halves in registers.
    uint64_t low = state, high;
    __asm__("mulq %2" : "+a"(low), "=d"(high) : "rm"(other) : "cc");
#else
    const __uint128_t t = static_cast<__uint128_t>(state) * other;
    const uint64_t low = static_cast<uint64_t>(t), high = static_cast<uint64_t>(t >> 64);
#endif
    return high ^ low;
  }

  [[gnu::always_inline]] uint64_t next() noexcept {
    state_ += kIncrement;
    return mix(state_);
  }
  // Skips `draws` draws (what `draws` calls of next() would do, in O(1)).
  void skip(uint64_t draws) noexcept { state_ += draws * kIncrement; }

  // Uniform integer in [0, n) by multiply-shift (Lemire, without rejection: the bias is
  // below n / 2^32, invisible next to the sampling noise of any test).
  uint32_t below(uint32_t n) noexcept {
    return static_cast<uint32_t>((static_cast<uint64_t>(static_cast<uint32_t>(next())) * n) >> 32);
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  uint64_t state() const noexcept { return state_; }
  void set_state(uint64_t s) noexcept { state_ = s; }

 private:
  uint64_t state_ = 0;
};

}  // namespace flowgen::detail
