// csv_encoder: the brief's CSV ("timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length"
// header, "1704067200.000000,192.168.1.45,10.5.23.100,54321,443,6,1200" rows, "\n" line
// ends), with the field list of flowgen_encoder_set_fields.
#include <optional>

#include "abi_guard.hpp"
#include "encoder.hpp"
#include "encoder_state.hpp"
#include "text_rows.hpp"

namespace flowgen::detail {
namespace {

constexpr uint8_t kStateVersion = 1;

class CsvEncoder final : public Encoder {
 public:
  void begin(const EncoderParams& params) override {
    if (params.csv_header != 0 && params.csv_header != 1) {
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "FLOWGEN_PARAM_CSV_HEADER must be 0 or 1, got " +
                      std::to_string(params.csv_header));
    }
    with_header_ = params.csv_header == 1;
    RowLayout layout;
    layout.style = TextStyle::csv;
    layout.fields = parse_fields(params.fields);
    header_.clear();
    for (size_t k = 0; k < layout.fields.size(); ++k) {
      layout.before.push_back(Literal::of(k == 0 ? "" : ","));
      header_ += (k == 0 ? "" : ",");
      header_ += field_name(layout.fields[k]);
    }
    header_ += '\n';
    layout.end = Literal::of("\n");
    rows_.emplace(std::move(layout));
  }

  void encode(const Batch& batch, OutputBuffer& out) override {
    write_header_once(out);
    rows_->write(batch, out.bytes, records_);
  }

  void encode_rows(const Batch& batch, OutputBuffer& out, uint32_t* row_ends) override {
    write_header_once(out);
    rows_->write(batch, out.bytes, records_, row_ends);
  }

  // A header-only file when nothing was encoded: still a valid CSV with its columns.
  void finish(OutputBuffer& out) override { write_header_once(out); }

  ColumnSet columns_read() const override {
    return rows_ ? rows_->columns_read() : ColumnSet::all;
  }

  std::vector<uint8_t> save_state() const override {
    return StateWriter(kStateVersion).u8(header_written_ ? 1 : 0).u64(records_).take();
  }

  void restore_state(const uint8_t* data, size_t size) override {
    StateReader in(data, size, "CSV encoder", kStateVersion, 1 + 8);
    header_written_ = in.u8() != 0;
    records_ = in.u64();
  }

 private:
  void write_header_once(OutputBuffer& out) {
    if (with_header_ && !header_written_) out.append(header_.data(), header_.size());
    header_written_ = true;
  }

  bool with_header_ = true;
  bool header_written_ = false;
  uint64_t records_ = 0;
  std::string header_;
  std::optional<RowWriter> rows_;
};

}  // namespace

std::unique_ptr<Encoder> make_csv_encoder() { return std::make_unique<CsvEncoder>(); }

}  // namespace flowgen::detail
