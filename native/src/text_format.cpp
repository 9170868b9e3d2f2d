// text_format: the tables of the text writers that are built at run time (see
// text_format.hpp).
#include "text_format.hpp"

namespace flowgen::detail::text {

const uint64_t* u16_texts() noexcept {
  struct Table {
    uint64_t word[65536];
    Table() noexcept {
      for (uint32_t v = 0; v < 65536; ++v) {
        char digits[8] = {};
        const unsigned n = decimal_digits(v);
        write_digits_backwards(digits + n, v, n);
        uint64_t w = 0;
        std::memcpy(&w, digits, 5);  // little-endian: the first digit is the lowest byte
        word[v] = w | uint64_t(n) << 56;
      }
    }
  };
  static const Table table;  // thread-safe initialisation on first use
  return table.word;
}

}  // namespace flowgen::detail::text
