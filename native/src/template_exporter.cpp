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
  if (templates_.size() > kMaxTemplates)
    throw Error(FLOWGEN_ERR_INTERNAL, std::string(layout_.name) + ": too many templates");
  const size_t stride = kMaxUdpPayload + 8;
  set_storage_.assign(templates_.size() * stride, 0);
  for (size_t t = 0; t < templates_.size(); ++t) {
    set_data_[t] = set_storage_.data() + t * stride;
    set_bytes_[t] = 0;
  }
}

void TemplateExporter::open_packet() {
  len_ = layout_.header_bytes;
  template_records_in_packet_ = 0;
  data_records_in_packet_ = 0;
  for (size_t& n : set_bytes_) n = 0;
  const bool by_count = template_packets_ && packets_since_templates_ >= template_packets_;
  const bool by_time = template_ns_ && clock_.now_ns - last_template_ns_ >= template_ns_;
  if (templates_due_ || by_count || by_time) write_templates();
  base_len_ = len_;
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

void TemplateExporter::close_packet(OutputBuffer& out) {
  if (!open_) return;
  write_header(buffer_.data(), len_, template_records_in_packet_ + data_records_in_packet_,
               data_records_in_packet_);
  out.append(buffer_.data(), base_len_);
  for (size_t t = 0; t < templates_.size(); ++t) {
    const size_t length = set_length(set_bytes_[t]);
    if (!length) continue;
    uint8_t* set = set_data_[t];
    put_be16(set, templates_[t].id);
    put_be16(set + 2, static_cast<uint32_t>(length));
    std::memset(set + 4 + set_bytes_[t], 0, length - 4 - set_bytes_[t]);  // padding
    out.append(set, length);
  }
  out.end_packet();
  note_packet(clock_.now_ns);
  ++packets_sent_;
  data_records_sent_ += data_records_in_packet_;
  ++packets_since_templates_;
  open_ = false;
}

// Blob layout version, after the tag: 2 = one pending data set per template.
constexpr uint64_t kStateVersion = 2;

std::vector<uint8_t> TemplateExporter::save_state() const {
  ExportStateWriter w(layout_.state_tag);
  w.u64(kStateVersion);
  w.u64(clock_.booted).u64(clock_.boot_ms).u64(clock_.epoch).u64(clock_.now_ns);
  w.u64(packets_sent_).u64(data_records_sent_).u64(skipped_);
  w.u64(templates_due_).u64(packets_since_templates_).u64(last_template_ns_);
  w.u64(open_).u64(template_records_in_packet_).u64(data_records_in_packet_);
  w.bytes(buffer_.data(), open_ ? base_len_ : 0);
  w.u64(templates_.size());
  for (size_t t = 0; t < templates_.size(); ++t) w.bytes(set_data_[t] + 4, open_ ? set_bytes_[t] : 0);
  save_extra(w);
  return w.take();
}

void TemplateExporter::restore_state(const uint8_t* data, size_t size) {
  ExportStateReader r(data, size, layout_.state_tag, layout_.name);
  const auto bad = [this](const char* why) {
    throw Error(FLOWGEN_ERR_CHECKPOINT,
                std::string("cannot restore the ") + layout_.name + " encoder state: " + why);
  };
  if (r.u64() != kStateVersion) bad("it has another format version");
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
  template_records_in_packet_ = static_cast<uint32_t>(r.u64());
  data_records_in_packet_ = static_cast<uint32_t>(r.u64());
  base_len_ = r.bytes(buffer_.data(), kMaxUdpPayload);
  if (r.u64() != templates_.size()) bad("it has another number of templates");
  len_ = base_len_;
  for (size_t t = 0; t < templates_.size(); ++t) {
    set_bytes_[t] = r.bytes(set_data_[t] + 4, kMaxUdpPayload);
    len_ += set_length(set_bytes_[t]);
  }
  if (open_ && (base_len_ < layout_.header_bytes || len_ > budget_)) bad("bad packet");
  restore_extra(r);
}

uint32_t TemplateExporter::domain_id(const EncoderParams& params) {
  if (params.domain_id < 0 || params.domain_id > 0xffffffffLL)
    throw config_error("domain_id must be in 0..4294967295, got " +
                       std::to_string(params.domain_id));
  return static_cast<uint32_t>(params.domain_id);
}

}  // namespace flowgen::detail
