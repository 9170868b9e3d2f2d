// Column digit words (text_columns.hpp): every 16-bit value, through the eight-wide path and
// the one-by-one path, gives its decimal text.
#include "text_columns.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace t = flowgen::detail::text;

namespace {

std::string text_of(const uint64_t& word) {
  char buf[16];
  return std::string(buf, t::write_prepared_u16(buf, word));
}

std::string with(uint32_t v, char after) { return std::to_string(v) + after; }

}  // namespace

TEST(TextColumns, EveryU16ValueInAColumn) {
  // 65536 values and 3 more, so that the column ends with a partial group of eight.
  std::vector<uint16_t> column(65539);
  for (size_t i = 0; i < column.size(); ++i) column[i] = uint16_t(i);
  std::vector<uint64_t> words(column.size());
  t::u16_column_digits(column.data(), column.size(), ',', words.data());
  for (size_t i = 0; i < column.size(); ++i) {
    ASSERT_EQ(text_of(words[i]), with(column[i], ',')) << "index " << i;
    ASSERT_EQ(t::u16_digits_word(column[i], ','), words[i]) << column[i];
  }
}

TEST(TextColumns, ShortColumnsAndOffsets) {
  const uint16_t values[] = {65535, 0, 9, 10, 99, 100, 999, 1000, 9999, 10000, 54321};
  for (size_t count = 0; count <= std::size(values); ++count) {
    uint64_t words[16];
    t::u16_column_digits(values, count, '\n', words);
    for (size_t i = 0; i < count; ++i) {
      ASSERT_EQ(text_of(words[i]), with(values[i], '\n'));
    }
  }
}
