// config_fuzz: arbitrary values and strings through every flowgen_config_* setter, then
// flowgen_generator_new, a few batches, a checkpoint round trip and every encoder.
// Input: one setter per line (see fuzz_script.hpp and corpus/config_fuzz/*). Besides
// "no crash, no sanitizer report", it checks properties a config must never break:
// records in timestamp order, packets >= 1, and resume-from-checkpoint giving the same
// next batch.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "flowgen/flowgen.h"
#include "fuzz_script.hpp"

namespace {

struct EncoderSpec {
  int32_t format = FLOWGEN_FORMAT_CSV;
  std::vector<std::pair<int32_t, int64_t>> params;
  std::vector<std::string> fields;
};

struct Plan {
  // Responses may leave timestamp order when the pending queue is full (documented in
  // generator_stream.cpp), so order is only checked without them.
  bool responses = false;
  uint32_t batches = 2;
  uint32_t max_records = 64;
  std::vector<EncoderSpec> encoders;
};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "config_fuzz property broken: %s\n", what);
  std::abort();
}

std::vector<double> doubles_from(const fuzz::Line& l, size_t first) {
  std::vector<double> v;
  for (size_t i = first; i < l.words.size(); ++i) v.push_back(l.f64(i));
  return v;
}

// Applies one line; unknown lines are ignored (the mutator invents many).
void apply(flowgen_config* c, const fuzz::Line& l, Plan& plan) {
  const std::string& op = l.words[0];
  if (op == "max_flows") flowgen_config_set_max_flows(c, l.u64(1));
  else if (op == "bandwidth") flowgen_config_set_bandwidth_gbps(c, l.f64(1));
  else if (op == "start") flowgen_config_set_start_timestamp_ns(c, l.u64(1));
  else if (op == "seed") flowgen_config_set_seed(c, l.u64(1));
  else if (op == "model") flowgen_config_set_flow_model(c, l.i32(1));
  else if (op == "bidir") {
    if (flowgen_config_set_bidirectional(c, l.f64(1)) == FLOWGEN_OK && l.f64(1) > 0) plan.responses = true;
  }
  else if (op == "rtt") flowgen_config_set_rtt_ms(c, l.i32(1), l.f64(2), l.f64(3));
  else if (op == "pending") flowgen_config_set_max_pending(c, l.u32(1));
  else if (op == "shard") flowgen_config_set_shard(c, l.u32(1), l.u32(2));
  // Thread and batch counts are capped only to keep one run fast; limits are tested in
  // tests/native/abi_misuse_test.cpp.
  else if (op == "threads") flowgen_config_set_threads(c, l.u32(1) % 5);
  else if (op == "batch") flowgen_config_set_batch_size(c, l.u32(1) % 4097);
  else if (op == "sizes") flowgen_config_set_packet_sizes(c, l.u32(1), l.u32(2), l.u32(3));
  else if (op == "src") flowgen_config_add_source_subnet(c, l.rest(1).c_str());
  else if (op == "dst") flowgen_config_add_destination_subnet(c, l.rest(1).c_str());
  else if (op == "srcw" || op == "dstw") {
    const std::vector<double> w = doubles_from(l, 1);
    const double* p = w.empty() ? nullptr : w.data();
    if (op == "srcw") flowgen_config_set_source_weights(c, p, uint32_t(w.size()));
    else flowgen_config_set_destination_weights(c, p, uint32_t(w.size()));
  } else if (op == "pattern") flowgen_config_add_pattern(c, l.rest(2).c_str(), l.f64(1));
  else if (op == "custom") flowgen_config_add_custom_pattern(c, l.rest(3).c_str(), l.u32(1), l.f64(2));
  else if (op == "port") flowgen_config_pattern_add_port(c, l.i32(1), l.u32(2), l.f64(3));
  else if (op == "dist")
    flowgen_config_pattern_set_distribution(c, l.i32(1), l.i32(2), l.i32(3), l.f64(4), l.f64(5));
  else if (op == "emp") {
    // emp <pattern> <quantity> v w v w ...
    std::vector<double> values, weights;
    for (size_t i = 3; i + 1 < l.words.size(); i += 2) {
      values.push_back(l.f64(i));
      weights.push_back(l.f64(i + 1));
    }
    flowgen_config_pattern_set_empirical(c, l.i32(1), l.i32(2), values.data(), weights.data(),
                                         uint32_t(values.size()));
  } else if (op == "pmodel") flowgen_config_pattern_set_flow_model(c, l.i32(1), l.i32(2));
  else if (op == "pbidir") {
    if (flowgen_config_pattern_set_bidirectional(c, l.i32(1), l.f64(2)) == FLOWGEN_OK && l.f64(2) > 0)
      plan.responses = true;
  }
  else if (op == "gen") plan.batches = l.u32(1) % 5;
  else if (op == "max") plan.max_records = l.u32(1);
  else if (op == "enc") {
    if (plan.encoders.size() < 6) plan.encoders.push_back(EncoderSpec{l.i32(1), {}, {}});
  } else if (op == "param" && !plan.encoders.empty()) {
    plan.encoders.back().params.emplace_back(l.i32(1), l.i64(2));
  } else if (op == "fields" && !plan.encoders.empty()) {
    plan.encoders.back().fields.push_back(l.rest(1));
  }
}

void check_batch(const flowgen_generator* g, int32_t n, uint64_t& last_ts, bool ordered) {
  if (n < 0) return;
  if (uint32_t(n) != flowgen_generator_batch_size(g)) fail("next_batch result != batch_size");
  if (uint32_t(n) > flowgen_generator_batch_capacity(g)) fail("batch larger than capacity");
  const auto* ts = static_cast<const uint64_t*>(flowgen_generator_column(g, FLOWGEN_COL_TIMESTAMP_NS));
  const auto* packets = static_cast<const uint32_t*>(flowgen_generator_column(g, FLOWGEN_COL_PACKETS));
  const auto* version = static_cast<const uint8_t*>(flowgen_generator_column(g, FLOWGEN_COL_IP_VERSION));
  const auto* pattern = static_cast<const uint8_t*>(flowgen_generator_column(g, FLOWGEN_COL_PATTERN));
  const uint32_t patterns = flowgen_generator_pattern_count(g);
  for (int32_t i = 0; i < n; ++i) {
    if (ordered && ts[i] < last_ts) fail("records out of timestamp order");
    last_ts = ts[i];
    if (packets[i] < 1) fail("a record with 0 packets");
    if (version[i] != 4 && version[i] != 6) fail("ip_version not 4 or 6");
    if (pattern[i] >= patterns) fail("pattern index out of range");
  }
}

// Bytes of one column of the current batch, for comparing two generators.
std::vector<uint8_t> column_bytes(const flowgen_generator* g, int32_t col) {
  static const size_t widths[FLOWGEN_COLUMN_COUNT] = {8, 8, 8, 1, 4, 4, 16, 16, 2, 2, 1, 1, 2, 4, 8, 8, 1, 1};
  const auto* p = static_cast<const uint8_t*>(flowgen_generator_column(g, col));
  const uint32_t n = flowgen_generator_batch_size(g);
  if (col != FLOWGEN_COL_SRC_IP6 && col != FLOWGEN_COL_DST_IP6)
    return std::vector<uint8_t>(p, p + widths[col] * n);
  // IPv6 columns are defined on IPv6 rows only.
  const auto* version = static_cast<const uint8_t*>(flowgen_generator_column(g, FLOWGEN_COL_IP_VERSION));
  std::vector<uint8_t> out;
  for (uint32_t i = 0; i < n; ++i)
    if (version[i] == 6) out.insert(out.end(), p + 16 * i, p + 16 * i + 16);
  return out;
}

void run_encoder(const EncoderSpec& spec, flowgen_config* config, const Plan& plan) {
  flowgen_encoder* e = nullptr;
  if (flowgen_encoder_new(spec.format, &e) != FLOWGEN_OK) {
    if (e) fail("encoder_new failed but returned a handle");
    return;
  }
  for (const auto& [param, value] : spec.params) {
    // The writer thread needs a sink; the buffer size only matters with one.
    if (param == FLOWGEN_PARAM_WRITER_THREAD) continue;
    flowgen_encoder_set_param(e, param, value);
  }
  for (const auto& f : spec.fields) flowgen_encoder_set_fields(e, f.c_str());
  flowgen_generator* g = nullptr;
  if (flowgen_generator_new(config, &g) == FLOWGEN_OK) {
    for (uint32_t b = 0; b < plan.batches; ++b) {
      if (flowgen_generator_next_batch(g, plan.max_records % 1024) < 0) break;
      if (flowgen_encoder_encode(e, g) != FLOWGEN_OK) break;
    }
    if (flowgen_encoder_finish(e) == FLOWGEN_OK && flowgen_encoder_encode(e, g) != FLOWGEN_ERR_STATE)
      fail("encode after finish accepted");
    const uint32_t size = flowgen_encoder_size(e);
    const uint8_t* data = flowgen_encoder_data(e);
    volatile uint8_t sink = 0;
    for (uint32_t i = 0; i < size; ++i) sink = sink ^ data[i];  // ASan checks every byte
    const uint32_t count = flowgen_encoder_packet_count(e);
    const uint32_t* ends = flowgen_encoder_packet_ends(e);
    for (uint32_t i = 0; i < count; ++i)
      if (ends[i] > size || (i > 0 && ends[i] < ends[i - 1])) fail("bad packet_ends");
    flowgen_encoder_stats_t st;
    if (flowgen_encoder_stats(e, &st, sizeof st) != FLOWGEN_OK) fail("encoder_stats failed");
    flowgen_generator_free(g);
  }
  flowgen_encoder_free(e);
}

void run_generator(flowgen_config* config, const Plan& plan) {
  flowgen_generator* g = nullptr;
  const int32_t status = flowgen_generator_new(config, &g);
  if (status != FLOWGEN_OK) {
    if (g) fail("generator_new failed but returned a handle");
    if (std::strlen(flowgen_config_error(config)) == 0) fail("generator_new failed silently");
    return;
  }
  uint64_t last_ts = 0;
  for (uint32_t b = 0; b < plan.batches; ++b)
    check_batch(g, flowgen_generator_next_batch(g, plan.max_records), last_ts, !plan.responses);
  flowgen_stats stats;
  if (flowgen_generator_stats(g, &stats, sizeof stats) != FLOWGEN_OK) fail("stats failed");

  // Resume: a fresh generator restored from the checkpoint makes the same next batch.
  uint32_t needed = 0;
  flowgen_generator_checkpoint(g, nullptr, 0, &needed);
  std::vector<uint8_t> blob(needed);
  if (flowgen_generator_checkpoint(g, blob.data(), needed, nullptr) != int32_t(needed))
    fail("checkpoint size changed");
  flowgen_generator* twin = nullptr;
  if (flowgen_generator_new(config, &twin) != FLOWGEN_OK) fail("second generator_new failed");
  if (flowgen_generator_restore(twin, blob.data(), needed) != FLOWGEN_OK) {
    std::fprintf(stderr, "restore: %s\n", flowgen_generator_error(twin));
    fail("own checkpoint refused");
  }
  const int32_t a = flowgen_generator_next_batch(g, plan.max_records);
  const int32_t b = flowgen_generator_next_batch(twin, plan.max_records);
  if (a != b) fail("resumed run has another batch size");
  for (int32_t col = 0; a > 0 && col < FLOWGEN_COLUMN_COUNT; ++col) {
    if (column_bytes(g, col) != column_bytes(twin, col)) {
      std::fprintf(stderr, "column %d differs after restore\n", col);
      fail("resumed run differs");
    }
  }
  flowgen_generator_free(twin);
  flowgen_generator_free(g);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flowgen_config* config = flowgen_config_new();
  if (!config) return 0;
  flowgen_config_set_batch_size(config, 512);  // small columns: more runs per second
  Plan plan;
  for (const fuzz::Line& line : fuzz::parse_script(data, size)) apply(config, line, plan);
  run_generator(config, plan);
  if (plan.encoders.empty())
    for (int32_t f = FLOWGEN_FORMAT_CSV; f <= FLOWGEN_FORMAT_IPFIX; ++f)
      plan.encoders.push_back(EncoderSpec{f, {}, {}});
  for (const EncoderSpec& spec : plan.encoders) run_encoder(spec, config, plan);
  flowgen_config_free(config);
  return 0;
}
