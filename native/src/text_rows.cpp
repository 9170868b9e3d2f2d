// text_rows: the row formatting loop shared by the text encoders (see text_rows.hpp).
#include "text_rows.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "abi_guard.hpp"
#include "ipv4_pairs.hpp"
#include "text_columns.hpp"

namespace flowgen::detail {
namespace {

// Records per chunk of the brief CSV loop: its digit words (text_columns.hpp) stay in L1.
constexpr size_t kChunkRecords = 256;

// Stores row ends as offsets in the output: `origin` is the address of output offset 0.
struct RowEnds {
  uint32_t* next;
  uintptr_t origin;
  void store(const char* p) noexcept { *next++ = uint32_t(uintptr_t(p) - origin); }
};

// Longest value text of a field (JSON string quotes included), pattern excluded.
size_t max_value_bytes(Field field) {
  switch (field) {
    case Field::timestamp:
    case Field::duration: return text::kMaxSeconds;
    case Field::src_ip:
    case Field::dst_ip: return text::kMaxIpv6 + 2;
    case Field::src_port:
    case Field::dst_port:
    case Field::length: return 5;
    case Field::protocol:
    case Field::tcp_flags:
    case Field::ip_version: return 3;
    case Field::packets: return text::kMaxU32;
    case Field::bytes:
    case Field::flow_id: return text::kMaxU64;
    case Field::direction: return 10;  // "response" with quotes
    case Field::pattern: return 0;     // per pattern table
  }
  return 0;
}

inline char* write_ip(char* p, const Batch& b, size_t i, bool src) {
  if (b.ip_version[i] == 6) {
    return text::write_ipv6(p, (src ? b.src_ip6.data() : b.dst_ip6.data()) + 16 * i);
  }
  return text::write_ipv4(p, src ? b.src_ip4[i] : b.dst_ip4[i]);
}

// The brief's CSV row without the field dispatch of the general loop: the format most
// runs write, and the one the throughput target is about. Columns are read through local
// pointers and the seconds cache is a local copy: stores through `char* p` may alias any
// memory, which would otherwise make the compiler reload every vector and member per row.
// With kEnds, each row's end goes to `ends` as well. Without kIpv6 (a chunk with no IPv6
// record: most runs) the rows skip the family test.
template <bool kEnds, bool kIpv6>
char* write_brief_csv_rows(char* p, const Batch& b, size_t first, size_t last,
                           text::SecondsWriter& seconds_cache, RowEnds& ends_io) {
  const uint64_t* const timestamp = b.timestamp_ns.data();
  const uint8_t* const ip_version = b.ip_version.data();
  const uint32_t* const src4 = b.src_ip4.data();
  const uint32_t* const dst4 = b.dst_ip4.data();
  const uint8_t* const src6 = b.src_ip6.data();
  const uint8_t* const dst6 = b.dst_ip6.data();
  const uint16_t* const src_port = b.src_port.data();
  const uint16_t* const dst_port = b.dst_port.data();
  const uint8_t* const protocol = b.protocol.data();
  const uint16_t* const length = b.length.data();
  text::SecondsWriter seconds = seconds_cache;
  RowEnds ends = ends_io;
  const text::OctetPairTable& pairs = text::octet_pairs();
  // Ports and lengths of the chunk as digit words first, eight values per operation.
  constexpr size_t kMax = kChunkRecords;
  uint64_t sport_words[kMax], dport_words[kMax], length_words[kMax];
  const size_t count = last - first;
  text::u16_column_digits(src_port + first, count, ',', sport_words);
  text::u16_column_digits(dst_port + first, count, ',', dport_words);
  text::u16_column_digits(length + first, count, '\n', length_words);
  for (size_t k = 0, i = first; i < last; ++k, ++i) {
    p = seconds.write_then_comma(p, timestamp[i]);
    if (kIpv6 && ip_version[i] == 6) {
      p = text::write_ipv6(p, src6 + 16 * i);
      *p++ = ',';
      p = text::write_ipv6(p, dst6 + 16 * i);
      *p++ = ',';
    } else {
      p = text::write_ipv4_pairs_then(p, src4[i], ',', pairs);
      p = text::write_ipv4_pairs_then(p, dst4[i], ',', pairs);
    }
    p = text::write_prepared_u16(p, sport_words[k]);  // with its ','
    p = text::write_prepared_u16(p, dport_words[k]);
    p = text::write_u8_then_comma(p, protocol[i]);
    p = text::write_prepared_u16(p, length_words[k]);  // with the '\n'

    if (kEnds) ends.store(p);
  }
  seconds_cache = seconds;
  ends_io = ends;
  return p;
}

inline char* copy_literal(char* p, const Literal& literal) {
  std::memcpy(p, literal.text, sizeof literal.text);
  return p + literal.size;
}

}  // namespace

Literal Literal::of(const std::string& s) {
  Literal literal;
  if (s.size() > sizeof literal.text) {
    throw Error(FLOWGEN_ERR_INTERNAL, "text literal longer than 32 bytes: \"" + s + "\"");
  }
  std::memcpy(literal.text, s.data(), s.size());
  literal.size = static_cast<uint8_t>(s.size());
  return literal;
}

RowWriter::RowWriter(RowLayout layout) : layout_(std::move(layout)) {
  size_t total = layout_.end.size + std::max(layout_.first_separator.size, layout_.separator.size);
  for (size_t k = 0; k < layout_.fields.size(); ++k) {
    total += layout_.before[k].size + max_value_bytes(layout_.fields[k]);
    switch (layout_.fields[k]) {
      case Field::pattern: has_pattern_ = true; [[fallthrough]];
      case Field::bytes:
      case Field::flow_id:
      case Field::tcp_flags: columns_read_ = ColumnSet::all; break;
      default: break;
    }
  }
  max_row_bytes_ = total;
  const std::vector<Field> brief = parse_fields(kDefaultCsvFields);
  brief_csv_ = layout_.style == TextStyle::csv && layout_.fields == brief &&
               layout_.end.size == 1 && layout_.end.text[0] == '\n' &&
               layout_.first_separator.size == 0 && layout_.separator.size == 0;
  for (size_t k = 0; brief_csv_ && k < layout_.before.size(); ++k) {
    brief_csv_ = k == 0 ? layout_.before[k].size == 0
                        : layout_.before[k].size == 1 && layout_.before[k].text[0] == ',';
  }
}

void RowWriter::refresh_pattern_texts(const Batch& batch) {
  // Compared by content, not address: another generator may reuse a freed table's memory.
  static const std::vector<std::string> kNoNames;
  const std::vector<std::string>& names = batch.pattern_names ? *batch.pattern_names : kNoNames;
  if (!pattern_texts_.empty() && names == pattern_names_) return;
  pattern_names_ = names;
  pattern_texts_.assign(256, std::string());
  max_pattern_bytes_ = 0;
  for (size_t index = 0; index < 256; ++index) {
    const std::string name = index < names.size() ? names[index] : std::to_string(index);
    std::string& t = pattern_texts_[index];
    t = layout_.style == TextStyle::json ? "\"" + text::json_escape(name) + "\""
                                         : text::csv_cell(name);
    max_pattern_bytes_ = std::max(max_pattern_bytes_, t.size());
  }
}

inline char* RowWriter::write_field(char* p, Field field, const Batch& b, size_t i) {
  const bool json = layout_.style == TextStyle::json;
  switch (field) {
    case Field::timestamp: return seconds_.write(p, b.timestamp_ns[i]);
    case Field::src_ip:
    case Field::dst_ip: {
      const bool src = field == Field::src_ip;
      if (json) *p++ = '"';
      p = write_ip(p, b, i, src);
      if (json) *p++ = '"';
      return p;
    }
    case Field::src_port: return text::write_u16(p, b.src_port[i]);
    case Field::dst_port: return text::write_u16(p, b.dst_port[i]);
    case Field::protocol: return text::write_u8(p, b.protocol[i]);
    case Field::length: return text::write_u16(p, b.length[i]);
    case Field::packets: return text::write_u32(p, b.packets[i]);
    case Field::bytes: return text::write_u64(p, b.bytes[i]);
    case Field::duration: return text::write_seconds_6(p, b.duration_ns[i]);
    case Field::tcp_flags: return text::write_u8(p, b.tcp_flags[i]);
    case Field::flow_id: return text::write_u64(p, b.flow_id[i]);
    case Field::direction: {
      static constexpr const char* kText[2][2] = {{"request", "response"},
                                                  {"\"request\"", "\"response\""}};
      const char* t = kText[json][b.direction[i] != 0];
      const size_t n = std::strlen(t);
      std::memcpy(p, t, n);
      return p + n;
    }
    case Field::pattern: {
      const std::string& t = pattern_texts_[b.pattern[i]];
      std::memcpy(p, t.data(), t.size());
      return p + t.size();
    }
    case Field::ip_version: return text::write_u8(p, b.ip_version[i]);
  }
  return p;
}

void RowWriter::write(const Batch& batch, ByteBuffer& out, uint64_t& records_written,
                      uint32_t* row_ends) {
  if (has_pattern_) refresh_pattern_texts(batch);
  const size_t row_bytes = max_row_bytes_ + max_pattern_bytes_;
  const size_t field_count = layout_.fields.size();
  const Field* fields = layout_.fields.data();
  const Literal* before = layout_.before.data();

  // Rows go straight into `out`, grown by the batch's worst case without zero-filling
  // (ByteBuffer), then cut to what was written.
  const size_t base = out.size();
  out.resize(base + batch.size * row_bytes + text::kWriteSlack);
  char* const origin = reinterpret_cast<char*>(out.data());
  char* p = origin + base;
  RowEnds ends{row_ends, uintptr_t(origin)};
  for (size_t first = 0; first < batch.size; first += kChunkRecords) {
    const size_t last = std::min<size_t>(batch.size, first + kChunkRecords);
    if (brief_csv_) {
      const bool ipv6 = std::memchr(batch.ip_version.data() + first, 6, last - first) != nullptr;
      const auto rows = ends.next ? (ipv6 ? write_brief_csv_rows<true, true>
                                          : write_brief_csv_rows<true, false>)
                                  : (ipv6 ? write_brief_csv_rows<false, true>
                                          : write_brief_csv_rows<false, false>);
      p = rows(p, batch, first, last, seconds_, ends);
      records_written += last - first;
    }
    for (size_t i = brief_csv_ ? last : first; i < last; ++i) {
      p = copy_literal(p, records_written == 0 ? layout_.first_separator : layout_.separator);
      ++records_written;
      for (size_t k = 0; k < field_count; ++k) {
        p = copy_literal(p, before[k]);
        p = write_field(p, fields[k], batch, i);
      }
      p = copy_literal(p, layout_.end);
      if (ends.next) ends.store(p);
    }
  }
  out.resize(size_t(p - origin));
}

}  // namespace flowgen::detail
