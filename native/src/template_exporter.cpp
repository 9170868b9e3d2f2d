// Packet assembly for the template-based export formats (see template_exporter.hpp).
#include "template_exporter.hpp"

#include <cstring>
#include <string>

#include "export_bytes.hpp"
#include "export_state.hpp"

namespace flowgen::detail {
namespace {

size_t template_record_bytes(const TemplateSpec& spec) {
  size_t n = 4;
  for (const auto& f : spec.fields) n += f.enterprise ? 8 : 4;
  return n;
}

}  // namespace

TemplateExporter::TemplateExporter(Layout layout)
    : layout_(layout), buffer_(kMaxUdpPayload + 8, 0) {}

void TemplateExporter::configure(const EncoderParams& params, std::vector<TemplateSpec> templates) {
  if (params.template_packets < 0)
    throw config_error("template_packets must be >= 0 (0 = no packet-count resend), got " +
                       std::to_string(params.template_packets));
  if (params.template_seconds < 0)
    throw config_error("template_seconds must be >= 0 (0 = no timed resend), got " +
                       std::to_string(params.template_seconds));
  template_packets_ = static_cast<uint64_t>(params.template_packets);
  template_ns_ = static_cast<uint64_t>(params.template_seconds) * kNsPerSecond;
  templates_ = std::move(templates);
  record_bytes_.clear();
  size_t template_set = 4, largest = 0;
  for (const auto& spec : templates_) {
    size_t bytes = 0;
    for (const auto& f : spec.fields) bytes += f.length;
    record_bytes_.push_back(bytes);
    largest = std::max(largest, bytes);
    template_set += template_record_bytes(spec);
  }
  const size_t min_payload = layout_.header_bytes + template_set + 4 + largest + layout_.set_align - 1;
  budget_ = payload_budget(params.mtu, min_payload, layout_.name);
  budget_ -= budget_ % layout_.set_align;  // room for the last set's padding
}

void TemplateExporter::open_packet() {
  len_ = layout_.header_bytes;
  template_records_in_packet_ = 0;
  data_records_in_packet_ = 0;
  set_template_ = kNoSet;
  const bool by_count = template_packets_ && packets_since_templates_ >= template_packets_;
  const bool by_time = template_ns_ && clock_.now_ns - last_template_ns_ >= template_ns_;
  if (templates_due_ || by_count || by_time) write_templates();
  open_ = true;
}

void TemplateExporter::write_templates() {
  uint8_t* set = buffer_.data() + len_;
  size_t n = 4;
  for (const auto& spec : templates_) {
    put_be16(set + n, spec.id);
    put_be16(set + n + 2, static_cast<uint32_t>(spec.fields.size()));
    n += 4;
    for (const auto& f : spec.fields) {
      put_be16(set + n, f.enterprise ? (f.id | 0x8000u) : f.id);
      put_be16(set + n + 2, f.length);
      n += 4;
      if (f.enterprise) {
        put_be32(set + n, f.enterprise);
        n += 4;
      }
    }
  }
  put_be16(set, layout_.template_set_id);
  put_be16(set + 2, static_cast<uint32_t>(n));
  len_ += n;
  template_records_in_packet_ = static_cast<uint32_t>(templates_.size());
  templates_due_ = false;
  packets_since_templates_ = 0;
  last_template_ns_ = clock_.now_ns;
}

void TemplateExporter::open_set(size_t t) {
  close_set();
  set_start_ = len_;
  set_template_ = t;
  put_be16(buffer_.data() + len_, templates_[t].id);
  len_ += 4;
}

void TemplateExporter::close_set() {
  if (set_template_ == kNoSet) return;
  const size_t padding = pad(len_);
  std::memset(buffer_.data() + len_, 0, padding);
  len_ += padding;
  put_be16(buffer_.data() + set_start_ + 2, static_cast<uint32_t>(len_ - set_start_));
  set_template_ = kNoSet;
}

void TemplateExporter::close_packet(OutputBuffer& out) {
  if (!open_) return;
  close_set();
  write_header(buffer_.data(), len_, template_records_in_packet_ + data_records_in_packet_,
               data_records_in_packet_);
  out.append(buffer_.data(), len_);
  out.end_packet();
  note_packet(clock_.now_ns);
  ++packets_sent_;
  data_records_sent_ += data_records_in_packet_;
  ++packets_since_templates_;
  open_ = false;
}

std::vector<uint8_t> TemplateExporter::save_state() const {
  StateWriter w(layout_.state_tag);
  w.u64(clock_.booted).u64(clock_.boot_ms).u64(clock_.epoch).u64(clock_.now_ns);
  w.u64(packets_sent_).u64(data_records_sent_).u64(skipped_);
  w.u64(templates_due_).u64(packets_since_templates_).u64(last_template_ns_);
  w.u64(open_).u64(set_start_).u64(set_template_);
  w.u64(template_records_in_packet_).u64(data_records_in_packet_);
  w.bytes(buffer_.data(), open_ ? len_ : 0);
  return w.take();
}

void TemplateExporter::restore_state(const uint8_t* data, size_t size) {
  StateReader r(data, size, layout_.state_tag, layout_.name);
  clock_.booted = r.u64() != 0;
  clock_.boot_ms = r.u64();
  clock_.epoch = r.u64();
  clock_.now_ns = r.u64();
  clock_.set_epoch_end();
  packets_sent_ = r.u64();
  data_records_sent_ = r.u64();
  skipped_ = r.u64();
  templates_due_ = r.u64() != 0;
  packets_since_templates_ = r.u64();
  last_template_ns_ = r.u64();
  open_ = r.u64() != 0;
  set_start_ = static_cast<size_t>(r.u64());
  set_template_ = static_cast<size_t>(r.u64());
  template_records_in_packet_ = static_cast<uint32_t>(r.u64());
  data_records_in_packet_ = static_cast<uint32_t>(r.u64());
  len_ = r.bytes(buffer_.data(), kMaxUdpPayload);
  const bool set_ok = set_template_ == kNoSet ||
                      ((templates_.empty() || set_template_ < templates_.size()) &&
                       set_start_ < len_);
  if (!set_ok || (open_ && len_ < layout_.header_bytes))
    throw Error(FLOWGEN_ERR_CHECKPOINT,
                std::string("cannot restore the ") + layout_.name + " encoder state: bad packet");
}

}  // namespace flowgen::detail
