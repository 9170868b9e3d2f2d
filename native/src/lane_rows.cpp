// Lane rows: per-lane text rows for the threaded merge (see lane_rows.hpp).
#include "lane_rows.hpp"

#include <algorithm>

#include "abi_guard.hpp"
#include "flowgen/flowgen.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flowgen::detail {
namespace {

// Set bits of a mask. The library is built for baseline x86-64 (no POPCNT instruction),
// where __builtin_popcountll is a libgcc call; this is a handful of instructions.
inline uint32_t bit_count(uint64_t v) {
#if defined(__POPCNT__)
  return uint32_t(__builtin_popcountll(v));
#else
  v = v - ((v >> 1) & 0x5555555555555555ULL);
  v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
  v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return uint32_t((v * 0x0101010101010101ULL) >> 56);
#endif
}

// Writes the offset just past every '\n' of [data, data + size) to `ends`, which has room
// for `capacity` offsets (3 more than the rows expected: the stores below are unconditional);
// returns how many line ends there are. 64 bytes per step into a bit mask, then the set bits are written three at a time without
// a branch per bit: rows are a few dozen bytes, so a step holds 0-3 line ends and a loop
// per bit (or a memchr call per row) would mispredict or cost more than the scan.
size_t find_line_ends(const uint8_t* data, size_t size, uint32_t* ends, size_t capacity) {
  size_t count = 0, i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  for (; i + 64 <= size && count + 3 <= capacity; i += 64) {
    uint64_t mask = 0;
    for (int part = 0; part < 4; ++part) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i + 16 * part));
      mask |= uint64_t(unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(block, newline)))) << (16 * part);
    }
    // Three line ends at most per step in practice (rows of 21+ bytes): count them as the
    // bits are cleared, which is cheaper than a population count without POPCNT.
    const uint32_t base = uint32_t(i) + 1;
    uint32_t* out = ends + count;
    const uint64_t m1 = mask & (mask - 1), m2 = m1 & (m1 - 1), rest = m2 & (m2 - 1);
    out[0] = base + uint32_t(__builtin_ctzll(mask | (uint64_t(1) << 63)));
    out[1] = base + uint32_t(__builtin_ctzll(m1 | (uint64_t(1) << 63)));
    out[2] = base + uint32_t(__builtin_ctzll(m2 | (uint64_t(1) << 63)));
    count += size_t(mask != 0) + size_t(m1 != 0) + size_t(m2 != 0);
    if (rest != 0) {  // rows shorter than ~21 bytes: rare
      const size_t more = bit_count(rest);
      uint64_t bits = rest;
      for (size_t k = 0; k < more && count < capacity; ++k) {
        ends[count++] = base + uint32_t(__builtin_ctzll(bits));
        bits &= bits - 1;
      }
    }
  }
#endif
  for (; i < size; ++i) {
    if (data[i] == '\n' && count < capacity) ends[count++] = uint32_t(i + 1);
  }
  return count;
}

}  // namespace

bool lane_rows_apply(int32_t format, const std::vector<std::string>& pattern_names) {
  if (format == FLOWGEN_FORMAT_JSONL) return true;  // JSON escapes line breaks in strings
  if (format != FLOWGEN_FORMAT_CSV) return false;
  return std::none_of(pattern_names.begin(), pattern_names.end(), [](const std::string& name) {
    return name.find('\n') != std::string::npos;
  });
}

LaneRowEncoder::LaneRowEncoder(const LaneRowSpec& spec) : encoder_(make_encoder(spec.format)) {
  EncoderParams params = spec.params;
  params.csv_header = 0;  // the session writes the header once, before any row
  encoder_->begin(params);
}

void LaneRowEncoder::encode(const Batch& batch, LaneRows& rows) {
  out_.clear();
  out_.bytes.swap(rows.bytes);  // reuse the lane buffer's capacity
  out_.bytes.clear();
  encoder_->encode(batch, out_);
  rows.bytes.swap(out_.bytes);
  const size_t size = rows.bytes.size();
  if (size > UINT32_MAX - kRowCopySlack) {
    throw Error(FLOWGEN_ERR_INTERNAL, "lane rows: " + std::to_string(size) + " bytes in one batch");
  }
  // One slot per row, plus room for the unconditional stores of the scan.
  const size_t expected = size_t(batch.size);
  if (rows.offsets.size() < expected + 8) rows.offsets.resize(expected + 8);
  rows.offsets[0] = 0;
  const size_t found = find_line_ends(rows.bytes.data(), size, rows.offsets.data() + 1,
                                      rows.offsets.size() - 1);
  if (found != expected || rows.offsets[expected] != size) {
    throw Error(FLOWGEN_ERR_INTERNAL, "lane rows: " + std::to_string(batch.size) +
                                          " records gave " + std::to_string(found) + " lines");
  }
  rows.bytes.resize(size + kRowCopySlack);  // room for copy_row's last chunk
}

}  // namespace flowgen::detail
