// text_columns: decimal digits of a whole column at once, for the text encoders' row loops.
// Ports and lengths are most of a CSV row's numbers; formatting them one value at a time
// cost ~44 instructions each (divisions by multiply, a digit count, table lookups). Here
// eight values share each SSE2 operation, and the row loop only shifts and stores a word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "text_format.hpp"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define FLOWGEN_TEXT_SSE2 1
#else
#define FLOWGEN_TEXT_SSE2 0
#endif

namespace flowgen::detail::text {

// The five digits of a 16-bit value as ASCII in bytes 0..4 of a word (the most significant
// first, as it goes to memory on a little-endian machine), the character that follows the
// value in the row (a separator) in byte 5, and in bytes 6 and 7 how to write it: 8 x the
// leading zeros (0..4: the last digit is always written), then the text's length with its
// separator (6 - zeros). The text is the word shifted right by byte 6. One load per value
// in the row loop gives all of it: separate zero counts cost 3 instructions more per value
// and a column pointer more (spilled: ~100 instructions per row before).
inline uint64_t u16_digits_word(uint16_t v, char after) noexcept {
  const unsigned zeros = (v < 10) + (v < 100) + (v < 1000) + (v < 10000);
  uint64_t w = uint64_t(uint8_t(after)) << 40 | uint64_t(8 * zeros) << 48 |
               uint64_t(6 - zeros) << 56;
  uint32_t rest = v;
  for (int k = 4; k >= 0; --k) {
    w |= uint64_t('0' + rest % 10) << (8 * k);
    rest /= 10;
  }
  return w;
}

#if FLOWGEN_TEXT_SSE2
// Eight values: v / 100 as (v / 4) / 25 and then / 100 again, each a high multiply and a
// shift that is exact over the lane's range (tests check all 65536 values); the digits of
// each remainder below 100 by one more; then the five digit lanes interleave into words.
inline void u16_digits_x8(const uint16_t* in, __m128i ascii, uint64_t* words) noexcept {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  const __m128i zero = _mm_setzero_si128();
  __m128i hundred = _mm_set1_epi16(100), ten = _mm_set1_epi16(10), by248 = _mm_set1_epi16(248);
#if defined(__GNUC__)
  // Opaque to the optimiser: GCC otherwise turns each x 100 into five shifts and adds,
  // more instructions than one pmullw.
  __asm__("" : "+x"(hundred), "+x"(ten), "+x"(by248));
#endif
  const __m128i by25 = _mm_set1_epi16(short(41944));      // ceil(2^20 / 25)
  const __m128i by100 = _mm_set1_epi16(short(41944));     // ceil(2^22 / 100)
  const __m128i by10 = _mm_set1_epi16(short(6554));       // ceil(2^16 / 10)
  const __m128i q1 = _mm_srli_epi16(_mm_mulhi_epu16(_mm_srli_epi16(v, 2), by25), 4);  // v/100
  const __m128i r1 = _mm_sub_epi16(v, _mm_mullo_epi16(q1, hundred));
  const __m128i q2 = _mm_srli_epi16(_mm_mulhi_epu16(q1, by100), 6);  // v / 10000
  const __m128i r2 = _mm_sub_epi16(q1, _mm_mullo_epi16(q2, hundred));
  const __m128i t1 = _mm_mulhi_epu16(r1, by10), t2 = _mm_mulhi_epu16(r2, by10);
  const __m128i u1 = _mm_sub_epi16(r1, _mm_mullo_epi16(t1, ten));
  const __m128i u2 = _mm_sub_epi16(r2, _mm_mullo_epi16(t2, ten));
  // v < k  <=>  saturating (v - (k - 1)) == 0; each true compare is -1.
  const auto below = [&](short k) {
    return _mm_cmpeq_epi16(_mm_subs_epu16(v, _mm_set1_epi16(short(k - 1))), zero);
  };
  const __m128i minus_zeros =
      _mm_add_epi16(_mm_add_epi16(below(10), below(100)), _mm_add_epi16(below(1000), below(10000)));
  // Bytes 6 and 7: 8 x zeros | (6 - zeros) << 8 = 6 x 256 - 248 x zeros.
  const __m128i meta = _mm_add_epi16(_mm_set1_epi16(6 * 256), _mm_mullo_epi16(minus_zeros, by248));
  // Digits in order: q2 t2 u2 t1 u1, then the meta lane. Pairs of them into 16-bit lanes,
  // then 32, then 64.
  const __m128i a = _mm_or_si128(q2, _mm_slli_epi16(t2, 8));
  const __m128i b = _mm_or_si128(u2, _mm_slli_epi16(t1, 8));
  const __m128i ab_low = _mm_unpacklo_epi16(a, b), ab_high = _mm_unpackhi_epi16(a, b);
  const __m128i c_low = _mm_unpacklo_epi16(u1, meta), c_high = _mm_unpackhi_epi16(u1, meta);
  __m128i* out = reinterpret_cast<__m128i*>(words);
  _mm_storeu_si128(out + 0, _mm_add_epi8(_mm_unpacklo_epi32(ab_low, c_low), ascii));
  _mm_storeu_si128(out + 1, _mm_add_epi8(_mm_unpackhi_epi32(ab_low, c_low), ascii));
  _mm_storeu_si128(out + 2, _mm_add_epi8(_mm_unpacklo_epi32(ab_high, c_high), ascii));
  _mm_storeu_si128(out + 3, _mm_add_epi8(_mm_unpackhi_epi32(ab_high, c_high), ascii));
}
#endif

// Digits of in[0..count), each followed by `after`: eight at a time where SSE2 is there,
// the rest one by one; both give the same words.
inline void u16_column_digits(const uint16_t* in, size_t count, char after,
                              uint64_t* words) noexcept {
  size_t i = 0;
#if FLOWGEN_TEXT_SSE2
  // '0' added to each digit byte, and `after` to the zero byte 5.
  const __m128i ascii =
      _mm_set1_epi64x(int64_t(0x3030303030ULL | uint64_t(uint8_t(after)) << 40));
  for (; i + 8 <= count; i += 8) u16_digits_x8(in + i, ascii, words + i);
#endif
  for (; i < count; ++i) words[i] = u16_digits_word(in[i], after);
}

// Writes a value prepared by u16_column_digits and its separator, from the word in memory:
// on little-endian machines the shift and the length are byte loads (a shift and a mask
// each from the loaded word). Touches 8 bytes.
inline char* write_prepared_u16(char* p, const uint64_t& word) noexcept {
#if FLOWGEN_TEXT_LITTLE_ENDIAN
  const auto* meta = reinterpret_cast<const uint8_t*>(&word) + 6;
  const uint64_t text = word >> meta[0];  // the leading zeros out
  const size_t size = meta[1];
#else
  uint64_t text = word >> ((word >> 48) & 0xff);
  text = __builtin_bswap64(text);  // the first digit in the first byte of memory
  const size_t size = size_t(word >> 56);
#endif
  std::memcpy(p, &text, 8);  // bytes past the separator are overwritten by what follows
  return p + size;
}

}  // namespace flowgen::detail::text
