// json_encoder: JSON (one array of objects, pretty like Python's json.dump(indent=2) or
// compact) and JSON Lines (one compact object per line). Keys are the field names, by
// default the brief's object: src_ip, dst_ip, src_port, dst_port, protocol, timestamp,
// length; timestamps are numbers with 6 decimals. An output without records is "[]\n".
#include <optional>

#include "abi_guard.hpp"
#include "encoder.hpp"
#include "encoder_state.hpp"
#include "text_rows.hpp"

namespace flowgen::detail {
namespace {

constexpr uint8_t kStateVersion = 1;

enum class JsonShape { array, lines };

class JsonEncoder final : public Encoder {
 public:
  explicit JsonEncoder(JsonShape shape) : shape_(shape) {}

  void begin(const EncoderParams& params) override {
    if (params.json_pretty != 0 && params.json_pretty != 1) {
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "FLOWGEN_PARAM_JSON_PRETTY must be 0 or 1, got " +
                      std::to_string(params.json_pretty));
    }
    const bool pretty = shape_ == JsonShape::array && params.json_pretty == 1;
    RowLayout layout;
    layout.style = TextStyle::json;
    layout.fields = parse_fields(params.fields_set ? params.fields : kDefaultJsonFields);
    for (size_t k = 0; k < layout.fields.size(); ++k) {
      const std::string key = std::string("\"") + field_name(layout.fields[k]) + "\":";
      if (pretty) {
        layout.before.push_back(Literal::of((k == 0 ? "  {\n    " : ",\n    ") + key + " "));
      } else {
        layout.before.push_back(Literal::of((k == 0 ? "{" : ",") + key));
      }
    }
    if (shape_ == JsonShape::lines) {
      layout.end = Literal::of("}\n");
    } else {
      layout.end = Literal::of(pretty ? "\n  }" : "}");
      layout.first_separator = Literal::of(pretty ? "[\n" : "[");
      layout.separator = Literal::of(pretty ? ",\n" : ",");
      close_ = pretty ? "\n]\n" : "]\n";
    }
    rows_.emplace(std::move(layout));
  }

  void encode(const Batch& batch, OutputBuffer& out) override {
    rows_->write(batch, out.bytes, records_);
  }

  // JSON Lines only: an array's rows carry its brackets and separators.
  void encode_rows(const Batch& batch, OutputBuffer& out, uint32_t* row_ends) override {
    if (shape_ != JsonShape::lines) Encoder::encode_rows(batch, out, row_ends);
    rows_->write(batch, out.bytes, records_, row_ends);
  }

  void finish(OutputBuffer& out) override {
    if (shape_ == JsonShape::lines) return;
    const std::string close = records_ == 0 ? "[]\n" : close_;
    out.append(close.data(), close.size());
  }

  ColumnSet columns_read() const override {
    return rows_ ? rows_->columns_read() : ColumnSet::all;
  }

  std::vector<uint8_t> save_state() const override {
    return StateWriter(kStateVersion).u64(records_).take();
  }

  void restore_state(const uint8_t* data, size_t size) override {
    StateReader in(data, size, shape_ == JsonShape::lines ? "JSON Lines encoder" : "JSON encoder",
                   kStateVersion, 8);
    records_ = in.u64();
  }

 private:
  JsonShape shape_;
  uint64_t records_ = 0;  // records written so far: the first one opens the array
  std::string close_;
  std::optional<RowWriter> rows_;
};

}  // namespace

std::unique_ptr<Encoder> make_json_encoder() {
  return std::make_unique<JsonEncoder>(JsonShape::array);
}
std::unique_ptr<Encoder> make_jsonl_encoder() {
  return std::make_unique<JsonEncoder>(JsonShape::lines);
}

}  // namespace flowgen::detail
