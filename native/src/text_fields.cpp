// text_fields: field names and the field list parser (see text_fields.hpp).
#include "text_fields.hpp"

#include "abi_guard.hpp"

namespace flowgen::detail {
namespace {

constexpr const char* kNames[kFieldCount] = {
    "timestamp", "src_ip",   "dst_ip",    "src_port", "dst_port",  "protocol",
    "length",    "packets",  "bytes",     "duration", "tcp_flags", "flow_id",
    "direction", "pattern",  "ip_version",
};

std::string all_names() {
  std::string s;
  for (const char* name : kNames) {
    if (!s.empty()) s += ", ";
    s += name;
  }
  return s;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

}  // namespace

const char* field_name(Field field) { return kNames[static_cast<int>(field)]; }

std::vector<Field> parse_fields(const std::string& list) {
  std::vector<Field> fields;
  bool seen[kFieldCount] = {};
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(',', start);
    const std::string name =
        trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (name.empty()) {
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "fields \"" + list + "\": empty field name (expected one of: " + all_names() + ")");
    }
    int index = -1;
    for (int i = 0; i < kFieldCount; ++i) {
      if (name == kNames[i]) index = i;
    }
    if (index < 0) {
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "unknown field \"" + name + "\" (expected one of: " + all_names() + ")");
    }
    if (seen[index]) {
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "duplicate field \"" + name + "\" in fields \"" + list + "\"");
    }
    seen[index] = true;
    fields.push_back(static_cast<Field>(index));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

}  // namespace flowgen::detail
