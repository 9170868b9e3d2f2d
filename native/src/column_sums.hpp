// column_sums: the sum of a u16 column (packet-mode bytes = the length column), for the
// batch statistics. GCC -O2 does not vectorise the plain loop: it cost 5 instructions per
// record (~2.5% of CSV end to end); SSE2 sums eight lengths in ~6 instructions.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define FLOWGEN_COLUMN_SUMS_SSE2 1
#else
#define FLOWGEN_COLUMN_SUMS_SSE2 0
#endif

namespace flowgen::detail {

inline uint64_t sum_u16(const uint16_t* values, size_t count) noexcept {
  uint64_t sum = 0;
  size_t k = 0;
#if FLOWGEN_COLUMN_SUMS_SSE2
  // psadbw against zero adds up bytes: over a lane's two bytes that is low + high, and
  // 255 x high on top makes low + 256 x high, the value.
  const __m128i zero = _mm_setzero_si128();
  __m128i bytes = zero, highs = zero;  // 64-bit lane sums: no overflow for any batch
  for (; k + 8 <= count; k += 8) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(values + k));
    bytes = _mm_add_epi64(bytes, _mm_sad_epu8(v, zero));
    highs = _mm_add_epi64(highs, _mm_sad_epu8(_mm_srli_epi16(v, 8), zero));
  }
  uint64_t lanes[4];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes), bytes);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes + 2), highs);
  sum = lanes[0] + lanes[1] + 255 * (lanes[2] + lanes[3]);
#endif
  for (; k < count; ++k) sum += values[k];
  return sum;
}

}  // namespace flowgen::detail
