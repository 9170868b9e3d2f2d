// encoder_registry: FLOWGEN_FORMAT_* number -> the format's Encoder.
#include <string>

#include "abi_guard.hpp"
#include "encoder.hpp"

namespace flowgen::detail {

void Encoder::encode_rows(const Batch&, OutputBuffer&, uint32_t*) {
  throw Error(FLOWGEN_ERR_INTERNAL, "this format has no stand-alone rows to encode");
}

std::unique_ptr<Encoder> make_encoder(int32_t format) {
  switch (format) {
    case FLOWGEN_FORMAT_CSV: return make_csv_encoder();
    case FLOWGEN_FORMAT_JSON: return make_json_encoder();
    case FLOWGEN_FORMAT_JSONL: return make_jsonl_encoder();
    case FLOWGEN_FORMAT_NETFLOW5: return make_netflow5_encoder();
    case FLOWGEN_FORMAT_NETFLOW9: return make_netflow9_encoder();
    case FLOWGEN_FORMAT_IPFIX: return make_ipfix_encoder();
  }
  throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
              "unknown format " + std::to_string(format) +
                  " (expected FLOWGEN_FORMAT_*: 1 CSV, 2 JSON, 3 JSONL, 4 NETFLOW5, 5 NETFLOW9, "
                  "6 IPFIX)");
}

}  // namespace flowgen::detail
