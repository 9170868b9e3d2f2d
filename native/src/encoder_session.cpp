// EncoderSession: buffering, sinks, stats and checkpoints of one encoder handle (see
// encoder_session.hpp).
#include "encoder_session.hpp"

#include <cstring>
#include <limits>
#include <utility>

#include "abi_guard.hpp"
#include "text_fields.hpp"

namespace flowgen::detail {
namespace {

constexpr int64_t kMaxBufferBytes = int64_t(1) << 30;  // the ABI reports sizes as u32

// Checkpoint blob: magic, version, format, params hash, stats, state, FNV-1a checksum.
constexpr uint8_t kBlobMagic[4] = {'F', 'G', 'E', 'C'};
constexpr uint32_t kBlobVersion = 1;
constexpr size_t kBlobHeaderSize = 4 + 4 + 4 + 8 + 3 * 8 + 4;
constexpr size_t kBlobChecksumSize = 8;

const char* param_name(int32_t param) {
  static constexpr const char* kNames[] = {
      nullptr,
      "FLOWGEN_PARAM_CSV_HEADER",
      "FLOWGEN_PARAM_JSON_PRETTY",
      "FLOWGEN_PARAM_CONTAINER",
      "FLOWGEN_PARAM_MTU",
      "FLOWGEN_PARAM_TEMPLATE_PACKETS",
      "FLOWGEN_PARAM_TEMPLATE_SECONDS",
      "FLOWGEN_PARAM_DOMAIN_ID",
      "FLOWGEN_PARAM_ENGINE_TYPE",
      "FLOWGEN_PARAM_ENGINE_ID",
      "FLOWGEN_PARAM_SAMPLING_INTERVAL",
      "FLOWGEN_PARAM_SKIP_UNSUPPORTED",
      "FLOWGEN_PARAM_IPFIX_NANOSECONDS",
      "FLOWGEN_PARAM_IPFIX_BIFLOW",
      "FLOWGEN_PARAM_SOURCE_PORT",
      "FLOWGEN_PARAM_DESTINATION_PORT",
      "FLOWGEN_PARAM_WRITER_THREAD",
      "FLOWGEN_PARAM_BUFFER_BYTES",
  };
  return param >= 1 && param <= 17 ? kNames[param] : nullptr;
}

const char* format_name(int32_t format) {
  switch (format) {
    case FLOWGEN_FORMAT_CSV: return "CSV";
    case FLOWGEN_FORMAT_JSON: return "JSON";
    case FLOWGEN_FORMAT_JSONL: return "JSON Lines";
    case FLOWGEN_FORMAT_NETFLOW5: return "NetFlow v5";
    case FLOWGEN_FORMAT_NETFLOW9: return "NetFlow v9";
    case FLOWGEN_FORMAT_IPFIX: return "IPFIX";
  }
  return "unknown format";
}

bool is_text_format(int32_t format) {
  return format == FLOWGEN_FORMAT_CSV || format == FLOWGEN_FORMAT_JSON ||
         format == FLOWGEN_FORMAT_JSONL;
}

void check_range(int32_t param, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                std::string(param_name(param)) + " must be in " + std::to_string(min) + ".." +
                    std::to_string(max) + ", got " + std::to_string(value));
  }
}

uint64_t fnv1a(const uint8_t* data, size_t size, uint64_t h = 0xcbf29ce484222325ULL) {
  for (size_t i = 0; i < size; ++i) {
    h ^= data[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

void put_u32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put_u64(std::vector<uint8_t>& b, uint64_t v) {
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint32_t get_u32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(p[i]) << (8 * i);
  return v;
}
uint64_t get_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(p[i]) << (8 * i);
  return v;
}

Error checkpoint_error(const std::string& why) {
  return Error(FLOWGEN_ERR_CHECKPOINT, "encoder checkpoint refused: " + why);
}

}  // namespace

EncoderSession::EncoderSession(int32_t format) : format_(format), encoder_(make_encoder(format)) {}

EncoderSession::~EncoderSession() = default;

void EncoderSession::require_not_begun(const char* what) const {
  if (begun_) {
    throw Error(FLOWGEN_ERR_STATE,
                std::string(what) + " can only be set before the first encode");
  }
}

void EncoderSession::set_param(int32_t param, int64_t value) {
  const char* name = param_name(param);
  if (!name) {
    throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                "unknown parameter " + std::to_string(param) +
                    " (expected a FLOWGEN_PARAM_* value, 1..17)");
  }
  require_not_begun(name);
  switch (param) {
    case FLOWGEN_PARAM_CSV_HEADER: check_range(param, value, 0, 1); params_.csv_header = value; break;
    case FLOWGEN_PARAM_JSON_PRETTY: check_range(param, value, 0, 1); params_.json_pretty = value; break;
    case FLOWGEN_PARAM_CONTAINER:
      check_range(param, value, FLOWGEN_CONTAINER_NONE, FLOWGEN_CONTAINER_PCAPNG);
      if (value != 0 && is_text_format(format_)) {
        throw Error(FLOWGEN_ERR_UNSUPPORTED,
                    std::string("FLOWGEN_PARAM_CONTAINER ") + std::to_string(value) +
                        " applies to packet formats (NetFlow, IPFIX), not " + format_name(format_));
      }
      params_.container = value;
      break;
    // The packet encoders check these further in begin() (e.g. the MTU against headers).
    case FLOWGEN_PARAM_MTU: check_range(param, value, 0, 65535); params_.mtu = value; break;
    case FLOWGEN_PARAM_TEMPLATE_PACKETS: check_range(param, value, 0, std::numeric_limits<uint32_t>::max()); params_.template_packets = value; break;
    case FLOWGEN_PARAM_TEMPLATE_SECONDS: check_range(param, value, 0, std::numeric_limits<uint32_t>::max()); params_.template_seconds = value; break;
    case FLOWGEN_PARAM_DOMAIN_ID: check_range(param, value, 0, std::numeric_limits<uint32_t>::max()); params_.domain_id = value; break;
    case FLOWGEN_PARAM_ENGINE_TYPE: check_range(param, value, 0, 255); params_.engine_type = value; break;
    case FLOWGEN_PARAM_ENGINE_ID: check_range(param, value, 0, 255); params_.engine_id = value; break;
    case FLOWGEN_PARAM_SAMPLING_INTERVAL: check_range(param, value, 0, 65535); params_.sampling_interval = value; break;
    case FLOWGEN_PARAM_SKIP_UNSUPPORTED: check_range(param, value, 0, 1); params_.skip_unsupported = value; break;
    case FLOWGEN_PARAM_IPFIX_NANOSECONDS: check_range(param, value, 0, 1); params_.ipfix_nanoseconds = value; break;
    case FLOWGEN_PARAM_IPFIX_BIFLOW: check_range(param, value, 0, 1); params_.ipfix_biflow = value; break;
    case FLOWGEN_PARAM_SOURCE_PORT: check_range(param, value, 0, 65535); params_.source_port = value; break;
    case FLOWGEN_PARAM_DESTINATION_PORT: check_range(param, value, 0, 65535); params_.destination_port = value; break;
    case FLOWGEN_PARAM_WRITER_THREAD: check_range(param, value, 0, 1); params_.writer_thread = value; break;
    case FLOWGEN_PARAM_BUFFER_BYTES: check_range(param, value, 1, kMaxBufferBytes); params_.buffer_bytes = value; break;
  }
}

void EncoderSession::set_fields(const std::string& fields) {
  if (!is_text_format(format_)) {
    throw Error(FLOWGEN_ERR_UNSUPPORTED, std::string("fields apply to text formats (CSV, JSON, "
                                                     "JSON Lines), not ") + format_name(format_));
  }
  require_not_begun("fields");
  parse_fields(fields);  // refuse a bad list now rather than at the first encode
  params_.fields = fields;
  params_.fields_set = true;
}

void EncoderSession::require_no_sink() const {
  if (finished_) throw Error(FLOWGEN_ERR_STATE, "the encoder is finished: no sink can be set");
  if (sink_) {
    throw Error(FLOWGEN_ERR_STATE, "the encoder already writes to " + sink_->name());
  }
}

void EncoderSession::open(const std::string& path, bool append) {
  require_no_sink();  // before touching the file
  if (path.empty()) throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, "path is empty");
  sink_ = Sink::open_file(path, append);
}

void EncoderSession::set_fd(int fd) {
  require_no_sink();
  sink_ = Sink::from_fd(fd);
}

void EncoderSession::ensure_begun() {
  if (begun_) return;
  try {
    if (params_.container != 0) {
      if (!encoder_->packet_format()) {
        throw Error(FLOWGEN_ERR_UNSUPPORTED,
                    std::string("FLOWGEN_PARAM_CONTAINER applies to packet formats, not ") +
                        format_name(format_));
      }
      encoder_ = wrap_in_container(std::move(encoder_), params_);
    }
    encoder_->begin(params_);
  } catch (...) {
    encoder_ = make_encoder(format_);  // fresh, so that fixed params can be tried again
    throw;
  }
  begun_ = true;
}

void EncoderSession::count_output(size_t bytes_before, size_t packets_before) {
  stats_.bytes += out_.bytes.size() - bytes_before;
  stats_.packets += out_.packet_ends.size() - packets_before;
}

void EncoderSession::encode(const Batch& batch) {
  if (finished_) throw Error(FLOWGEN_ERR_STATE, "encode after finish");
  ensure_begun();
  rows_to_out();
  const size_t bytes_before = out_.bytes.size();
  const size_t packets_before = out_.packet_ends.size();
  const uint64_t skipped_before = encoder_->records_skipped();
  encoder_->encode(batch, out_);
  const uint64_t skipped = encoder_->records_skipped() - skipped_before;
  stats_.records_encoded += batch.size - skipped;
  count_output(bytes_before, packets_before);
  after_encode();
}

uint32_t EncoderSession::encode_next(Generator& generator, uint32_t max_records) {
  if (finished_) throw Error(FLOWGEN_ERR_STATE, "encode after finish");
  ensure_begun();
  if (!generator.threaded() || !lane_rows_apply(format_)) {
    const uint32_t n = generator.next_batch(max_records, encoder_->columns_read());
    encode(generator.batch());
    return n;
  }
  if (!lane_rows_) lane_rows_ = std::make_shared<const LaneRowSpec>(LaneRowSpec{format_, params_});
  if (generator.lane_rows() != lane_rows_) generator.set_lane_rows(lane_rows_);
  if (!rows_framed_) {
    // The Encoder writes its header (CSV) at its first encode, even of no records.
    const size_t bytes_before = out_.bytes.size();
    encoder_->encode(Batch(), out_);
    count_output(bytes_before, out_.packet_ends.size());
    rows_framed_ = true;
  }
  if (sink_ && !out_.bytes.empty()) {
    // Bytes before the rows: into rows_, which then holds everything not yet written.
    std::memcpy(rows_.room(out_.bytes.size()), out_.bytes.data(), out_.bytes.size());
    rows_.size += out_.bytes.size();
    out_.bytes.clear();
  }
  const size_t rows_before = rows_.size;
  const uint32_t n = generator.next_rows(max_records, rows_);
  stats_.records_encoded += n;
  stats_.bytes += rows_.size - rows_before;
  if (!sink_) {
    rows_to_out();  // the caller reads out_
    after_encode();
  } else if (rows_.size >= static_cast<size_t>(params_.buffer_bytes)) {
    drain();
  }
  return n;
}

void EncoderSession::rows_to_out() {
  if (rows_.size == 0) return;
  out_.append(rows_.bytes.data(), rows_.size);
  rows_.size = 0;
}

void EncoderSession::after_encode() {
  if (sink_) {
    if (out_.bytes.size() >= static_cast<size_t>(params_.buffer_bytes)) drain();
  } else if (out_.bytes.size() > std::numeric_limits<uint32_t>::max()) {
    throw Error(FLOWGEN_ERR_NO_MEMORY,
                "the encoder buffer holds " + std::to_string(out_.bytes.size()) +
                    " bytes (over 4 GiB) and has no sink: call flowgen_encoder_consume "
                    "after reading it, or set a sink");
  }
}

void EncoderSession::drain() {
  if (rows_.size > 0) {  // then out_ is empty: rows_ holds the older bytes
    if (params_.writer_thread) {
      if (!writer_) writer_ = std::make_unique<WriterThread>(*sink_);
      writer_->submit(rows_.bytes, rows_.size);
      writes_in_flight_ = true;
    } else {
      sink_->write(rows_.bytes.data(), rows_.size);
    }
    rows_.size = 0;
  }
  if (!out_.bytes.empty()) {
    if (params_.writer_thread) {
      if (!writer_) writer_ = std::make_unique<WriterThread>(*sink_);
      writer_->submit(out_.bytes);
      writes_in_flight_ = true;
    } else {
      sink_->write(out_.bytes.data(), out_.bytes.size());
      out_.bytes.clear();
    }
  }
  out_.packet_ends.clear();
}

void EncoderSession::wait_written() {
  if (writer_) writer_->wait();
  writes_in_flight_ = false;
}

void EncoderSession::flush() {
  if (!sink_) return;  // without a sink the caller reads the buffer
  drain();
  wait_written();
}

void EncoderSession::finish() {
  if (finished_) throw Error(FLOWGEN_ERR_STATE, "the encoder is already finished");
  ensure_begun();
  rows_to_out();
  const size_t bytes_before = out_.bytes.size();
  const size_t packets_before = out_.packet_ends.size();
  encoder_->finish(out_);
  count_output(bytes_before, packets_before);
  finished_ = true;
  if (sink_) {
    drain();
    wait_written();
    writer_.reset();
    sink_->close();
  }
}

void EncoderSession::consume() {
  if (sink_) {
    throw Error(FLOWGEN_ERR_STATE,
                "consume is for encoders without a sink; this one writes to " + sink_->name());
  }
  out_.clear();
}

flowgen_encoder_stats_t EncoderSession::stats() const {
  flowgen_encoder_stats_t s = stats_;
  s.records_skipped = encoder_->records_skipped();
  return s;
}

uint64_t EncoderSession::params_hash() const {
  // Everything that shapes the bytes; not the writer thread nor the buffer size.
  const EncoderParams& p = params_;
  const int64_t numbers[] = {p.csv_header,        p.json_pretty,      p.container,
                             p.mtu,               p.template_packets, p.template_seconds,
                             p.domain_id,         p.engine_type,      p.engine_id,
                             p.sampling_interval, p.skip_unsupported, p.ipfix_nanoseconds,
                             p.ipfix_biflow,      p.source_port,      p.destination_port};
  std::vector<uint8_t> bytes;
  for (const int64_t v : numbers) put_u64(bytes, static_cast<uint64_t>(v));
  const std::string fields = p.fields_set ? p.fields : std::string("(default)");
  bytes.insert(bytes.end(), fields.begin(), fields.end());
  return fnv1a(bytes.data(), bytes.size());
}

std::vector<uint8_t> EncoderSession::checkpoint() const {
  if (sink_ && (!out_.bytes.empty() || rows_.size > 0 || writes_in_flight_)) {
    throw Error(FLOWGEN_ERR_STATE,
                std::to_string(out_.bytes.size() + rows_.size) + " bytes are not yet written to " +
                    sink_->name() + ": call flowgen_encoder_flush before the checkpoint");
  }
  // An encoder that has not begun has no state of its own yet: the blob says "fresh".
  const std::vector<uint8_t> state = begun_ ? encoder_->save_state() : std::vector<uint8_t>();
  std::vector<uint8_t> blob(kBlobMagic, kBlobMagic + 4);
  put_u32(blob, kBlobVersion);
  put_u32(blob, static_cast<uint32_t>(format_));
  put_u64(blob, params_hash());
  put_u64(blob, stats_.records_encoded);
  put_u64(blob, stats_.packets);
  put_u64(blob, stats_.bytes);
  put_u32(blob, static_cast<uint32_t>(state.size()));
  blob.insert(blob.end(), state.begin(), state.end());
  put_u64(blob, fnv1a(blob.data(), blob.size()));
  return blob;
}

void EncoderSession::restore(const uint8_t* blob, size_t size) {
  if (begun_ || finished_) {
    throw Error(FLOWGEN_ERR_STATE, "restore is only possible before the first encode");
  }
  if (!blob || size < kBlobHeaderSize + kBlobChecksumSize ||
      std::memcmp(blob, kBlobMagic, 4) != 0) {
    throw checkpoint_error("not an encoder checkpoint (" + std::to_string(size) + " bytes)");
  }
  const uint32_t version = get_u32(blob + 4);
  if (version != kBlobVersion) {
    throw checkpoint_error("format version " + std::to_string(version) + ", expected " +
                           std::to_string(kBlobVersion));
  }
  const uint32_t state_size = get_u32(blob + kBlobHeaderSize - 4);
  if (size != kBlobHeaderSize + state_size + kBlobChecksumSize) {
    throw checkpoint_error("truncated or padded: " + std::to_string(size) + " bytes, expected " +
                           std::to_string(kBlobHeaderSize + state_size + kBlobChecksumSize));
  }
  if (fnv1a(blob, size - kBlobChecksumSize) != get_u64(blob + size - kBlobChecksumSize)) {
    throw checkpoint_error("checksum mismatch (the blob is corrupt)");
  }
  const auto format = static_cast<int32_t>(get_u32(blob + 8));
  if (format != format_) {
    throw checkpoint_error(std::string("made by a ") + format_name(format) + " encoder, this is " +
                           format_name(format_));
  }
  if (get_u64(blob + 12) != params_hash()) {
    throw checkpoint_error("made with other encoder parameters or fields");
  }
  ensure_begun();
  try {
    if (state_size > 0) encoder_->restore_state(blob + kBlobHeaderSize, state_size);
  } catch (...) {
    begun_ = false;
    encoder_ = make_encoder(format_);
    throw;
  }
  stats_.records_encoded = get_u64(blob + 20);
  stats_.packets = get_u64(blob + 28);
  stats_.bytes = get_u64(blob + 36);
}

}  // namespace flowgen::detail
