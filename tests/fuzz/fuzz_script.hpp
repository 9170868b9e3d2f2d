// fuzz_script: a tiny line language that drives the flowgen_config_* setters, so a seed
// corpus stays readable and libFuzzer's mutations land on numbers and strings the C ABI
// takes ("src 10.0.0.0/8", "pattern 50 web_traffic", "dist 0 1 3 6.5 nan").
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace fuzz {

// One line split into words; `rest(i)` is the text from word i to the end of the line
// (for CIDRs, pattern names and field lists, which may hold anything).
struct Line {
  std::vector<std::string> words;
  std::string text;
  std::vector<size_t> starts;

  std::string rest(size_t i) const { return i < starts.size() ? text.substr(starts[i]) : ""; }
  const std::string& word(size_t i) const {
    static const std::string empty;
    return i < words.size() ? words[i] : empty;
  }
  // strtoull/strtod accept "-1", "0x..", "1e308", "nan", "inf": every edge a setter meets.
  uint64_t u64(size_t i) const { return std::strtoull(word(i).c_str(), nullptr, 0); }
  uint32_t u32(size_t i) const { return static_cast<uint32_t>(u64(i)); }
  int32_t i32(size_t i) const { return static_cast<int32_t>(std::strtoll(word(i).c_str(), nullptr, 0)); }
  int64_t i64(size_t i) const { return std::strtoll(word(i).c_str(), nullptr, 0); }
  double f64(size_t i) const { return std::strtod(word(i).c_str(), nullptr); }
};

inline std::vector<Line> parse_script(const uint8_t* data, size_t size) {
  std::vector<Line> lines;
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t pos = 0;
  while (pos <= text.size() && lines.size() < 256) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    Line line;
    line.text = text.substr(pos, end - pos);
    // C strings end at NUL: what the ABI would see.
    line.text = line.text.c_str();
    size_t i = 0;
    while (i < line.text.size()) {
      while (i < line.text.size() && line.text[i] == ' ') ++i;
      if (i >= line.text.size()) break;
      size_t j = i;
      while (j < line.text.size() && line.text[j] != ' ') ++j;
      line.starts.push_back(i);
      line.words.push_back(line.text.substr(i, j - i));
      i = j;
    }
    if (!line.words.empty()) lines.push_back(std::move(line));
    pos = end + 1;
  }
  return lines;
}

}  // namespace fuzz
