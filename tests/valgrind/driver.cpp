// Valgrind driver: a create/generate/encode/destroy loop over the C ABI calls the Deno,
// Node and Bun layers make (src/native/*.ts), including their error paths, so that
// `valgrind --leak-check=full --error-exitcode=1` vouches for the library as the
// runtimes use it (Deno cannot run under ASan's LD_PRELOAD; see tests/sanitize.sh).
//   driver [iterations]   (default 3; output goes to a temporary directory)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <unistd.h>

#include "flowgen/flowgen.h"

namespace {

int failures = 0;

void check(bool ok, const char* what, const char* detail = "") {
  if (ok) return;
  std::fprintf(stderr, "driver: FAILED %s %s\n", what, detail);
  ++failures;
}

flowgen_config* make_config(int variant) {
  flowgen_config* c = flowgen_config_new();
  flowgen_config_set_seed(c, 42 + uint64_t(variant));
  flowgen_config_set_start_timestamp_ns(c, 1704067200000000000ull);
  flowgen_config_set_max_flows(c, 5000);
  flowgen_config_set_bandwidth_gbps(c, 10);
  flowgen_config_set_batch_size(c, 1024);
  flowgen_config_set_packet_sizes(c, 64, 1500, 800);
  flowgen_config_add_source_subnet(c, "192.168.1.0/24");
  flowgen_config_add_source_subnet(c, "2001:db8::/48");
  flowgen_config_add_destination_subnet(c, "10.0.0.0/8");
  flowgen_config_add_destination_subnet(c, "2001:db8:ff::/64");
  const double w[2] = {3, 1};
  flowgen_config_set_source_weights(c, w, 2);
  flowgen_config_set_destination_weights(c, w, 2);
  flowgen_config_add_pattern(c, "web_traffic", 50);
  flowgen_config_add_pattern(c, "dns_traffic", 20);
  const int32_t custom = flowgen_config_add_custom_pattern(c, "syslog", 17, 30);
  flowgen_config_pattern_add_port(c, custom, 514, 1);
  if (variant % 2 == 1) {  // the flow model with responses pending across batches
    flowgen_config_set_flow_model(c, FLOWGEN_MODEL_FLOW);
    flowgen_config_set_bidirectional(c, 0.5);
    flowgen_config_set_rtt_ms(c, FLOWGEN_DIST_LOGNORMAL, 2.0, 0.5);
    flowgen_config_set_max_pending(c, 4096);
    flowgen_config_pattern_set_distribution(c, 0, FLOWGEN_Q_PACKETS, FLOWGEN_DIST_PARETO, 1, 1.5);
    const double values[3] = {40, 576, 1500}, weights[3] = {5, 1, 4};
    flowgen_config_pattern_set_empirical(c, 1, FLOWGEN_Q_PACKET_SIZE, values, weights, 3);
    flowgen_config_pattern_set_flow_model(c, 2, FLOWGEN_MODEL_PACKET);
    flowgen_config_pattern_set_bidirectional(c, 2, 0);
  }
  if (variant == 2) flowgen_config_set_threads(c, 2);  // worker threads and their merge
  if (variant == 3) flowgen_config_set_shard(c, 1, 4);
  return c;
}

// Reads every column the way the TS layer maps them (touching each byte).
uint64_t read_columns(const flowgen_generator* g) {
  uint64_t sum = 0;
  const uint32_t n = flowgen_generator_batch_size(g);
  const auto* ts = static_cast<const uint64_t*>(flowgen_generator_column(g, FLOWGEN_COL_TIMESTAMP_NS));
  const auto* bytes = static_cast<const uint64_t*>(flowgen_generator_column(g, FLOWGEN_COL_BYTES));
  const auto* ip6 = static_cast<const uint8_t*>(flowgen_generator_column(g, FLOWGEN_COL_SRC_IP6));
  for (uint32_t i = 0; i < n; ++i) sum += ts[i] ^ bytes[i] ^ ip6[16 * i + 15];
  for (uint32_t p = 0; p < flowgen_generator_pattern_count(g); ++p)
    sum += std::strlen(flowgen_generator_pattern_name(g, p));
  return sum;
}

void encode_to_buffer(flowgen_generator* g, int32_t format) {
  flowgen_encoder* e = nullptr;
  check(flowgen_encoder_new(format, &e) == FLOWGEN_OK, "encoder_new");
  if (format == FLOWGEN_FORMAT_CSV) flowgen_encoder_set_fields(e, "timestamp,src_ip,dst_ip,bytes");
  if (format == FLOWGEN_FORMAT_NETFLOW5) flowgen_encoder_set_param(e, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1);
  if (format == FLOWGEN_FORMAT_IPFIX) flowgen_encoder_set_param(e, FLOWGEN_PARAM_CONTAINER, FLOWGEN_CONTAINER_PCAP);
  flowgen_generator_reset(g);
  for (int b = 0; b < 3 && flowgen_generator_next_batch(g, 1024) > 0; ++b) {
    check(flowgen_encoder_encode(e, g) == FLOWGEN_OK, "encode", flowgen_encoder_error(e));
    if (flowgen_encoder_size(e) > 0) check(flowgen_encoder_data(e) != nullptr, "data");
    (void)flowgen_encoder_packet_count(e);
    (void)flowgen_encoder_packet_ends(e);
    flowgen_encoder_consume(e);
  }
  // Resume: the state moves to a new encoder through a checkpoint blob.
  uint32_t needed = 0;
  flowgen_encoder_checkpoint(e, nullptr, 0, &needed);
  std::vector<uint8_t> blob(needed);
  check(flowgen_encoder_checkpoint(e, blob.data(), needed, nullptr) == int32_t(needed), "checkpoint");
  flowgen_encoder_free(e);
  flowgen_encoder_new(format, &e);
  if (format == FLOWGEN_FORMAT_CSV) flowgen_encoder_set_fields(e, "timestamp,src_ip,dst_ip,bytes");
  if (format == FLOWGEN_FORMAT_NETFLOW5) flowgen_encoder_set_param(e, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1);
  if (format == FLOWGEN_FORMAT_IPFIX) flowgen_encoder_set_param(e, FLOWGEN_PARAM_CONTAINER, FLOWGEN_CONTAINER_PCAP);
  check(flowgen_encoder_restore(e, blob.data(), needed) == FLOWGEN_OK, "restore", flowgen_encoder_error(e));
  if (flowgen_generator_next_batch(g, 1024) > 0)
    check(flowgen_encoder_encode(e, g) == FLOWGEN_OK, "encode after restore", flowgen_encoder_error(e));
  check(flowgen_encoder_finish(e) == FLOWGEN_OK, "finish", flowgen_encoder_error(e));
  check(flowgen_encoder_encode(e, g) == FLOWGEN_ERR_STATE, "encode after finish refused");
  flowgen_encoder_stats_t st;
  check(flowgen_encoder_stats(e, &st, sizeof st) == FLOWGEN_OK, "encoder_stats");
  flowgen_encoder_free(e);
}

void encode_to_file(flowgen_generator* g, const std::string& path, bool writer_thread) {
  flowgen_encoder* e = nullptr;
  flowgen_encoder_new(FLOWGEN_FORMAT_JSONL, &e);
  flowgen_encoder_set_param(e, FLOWGEN_PARAM_WRITER_THREAD, writer_thread ? 1 : 0);
  flowgen_encoder_set_param(e, FLOWGEN_PARAM_BUFFER_BYTES, 64 * 1024);
  check(flowgen_encoder_open(e, path.c_str(), 0) == FLOWGEN_OK, "open", flowgen_encoder_error(e));
  flowgen_generator_reset(g);
  while (flowgen_generator_next_batch(g, 1024) > 0)
    check(flowgen_encoder_encode(e, g) == FLOWGEN_OK, "encode to file", flowgen_encoder_error(e));
  check(flowgen_encoder_flush(e) == FLOWGEN_OK, "flush");
  uint32_t needed = 0;
  flowgen_encoder_checkpoint(e, nullptr, 0, &needed);
  std::vector<uint8_t> blob(needed);
  check(flowgen_encoder_checkpoint(e, blob.data(), needed, nullptr) == int32_t(needed), "encoder checkpoint");
  check(flowgen_encoder_finish(e) == FLOWGEN_OK, "finish file", flowgen_encoder_error(e));
  flowgen_encoder_free(e);
  // Resume path: a new encoder restores the blob and appends.
  flowgen_encoder_new(FLOWGEN_FORMAT_JSONL, &e);
  flowgen_encoder_set_param(e, FLOWGEN_PARAM_BUFFER_BYTES, 64 * 1024);
  check(flowgen_encoder_restore(e, blob.data(), needed) == FLOWGEN_OK, "encoder restore", flowgen_encoder_error(e));
  check(flowgen_encoder_open(e, path.c_str(), 1) == FLOWGEN_OK, "open append");
  flowgen_encoder_free(e);  // freed without finish: must not leak or write
}

void error_paths(const std::string& dir) {
  flowgen_config* c = flowgen_config_new();
  check(flowgen_config_add_source_subnet(c, "10.0.0.0/33") == FLOWGEN_ERR_INVALID_CONFIG, "bad cidr");
  check(flowgen_config_add_pattern(c, "nope", 100) < 0, "bad pattern");
  check(flowgen_config_set_max_pending(c, UINT32_MAX) == FLOWGEN_ERR_NO_MEMORY, "resource limit");
  flowgen_generator* g = nullptr;
  check(flowgen_generator_new(c, &g) == FLOWGEN_ERR_INVALID_CONFIG && !g, "empty config refused");
  check(std::strlen(flowgen_config_error(c)) > 0, "message");
  flowgen_config_free(c);

  flowgen_encoder* e = nullptr;
  check(flowgen_encoder_new(77, &e) == FLOWGEN_ERR_INVALID_ARGUMENT, "bad format");
  flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e);
  check(flowgen_encoder_open(e, (dir + "/missing/x.csv").c_str(), 0) == FLOWGEN_ERR_IO, "bad path");
  check(flowgen_encoder_set_fields(e, "bogus") < 0, "bad fields");
  const uint8_t junk[100] = {'F', 'G'};
  check(flowgen_encoder_restore(e, junk, sizeof junk) == FLOWGEN_ERR_CHECKPOINT, "junk blob");
  flowgen_encoder_free(e);
  (void)flowgen_status_string(FLOWGEN_ERR_IO);
}

void one_iteration(const std::string& dir, int i) {
  for (int variant = 0; variant < 4; ++variant) {
    flowgen_config* c = make_config(variant);
    flowgen_generator* g = nullptr;
    check(flowgen_generator_new(c, &g) == FLOWGEN_OK, "generator_new", flowgen_config_error(c));
    flowgen_config_free(c);
    if (!g) continue;
    uint64_t sum = 0;
    for (int b = 0; b < 2 && flowgen_generator_next_batch(g, 1024) > 0; ++b) sum += read_columns(g);
    flowgen_stats st;
    check(flowgen_generator_stats(g, &st, sizeof st) == FLOWGEN_OK, "stats");
    uint32_t needed = 0;
    flowgen_generator_checkpoint(g, nullptr, 0, &needed);
    std::vector<uint8_t> blob(needed);
    flowgen_generator_checkpoint(g, blob.data(), needed, nullptr);
    check(flowgen_generator_restore(g, blob.data(), needed) == FLOWGEN_OK, "restore", flowgen_generator_error(g));
    check(flowgen_generator_restore(g, blob.data(), needed - 1) == FLOWGEN_ERR_CHECKPOINT, "truncated blob");
    for (int32_t f = FLOWGEN_FORMAT_CSV; f <= FLOWGEN_FORMAT_IPFIX; ++f) encode_to_buffer(g, f);
    encode_to_file(g, dir + "/out" + std::to_string(i) + ".jsonl", variant % 2 == 0);
    if (sum == 1) std::puts("");  // keep the reads
    flowgen_generator_free(g);
  }
  // UDP export to a loopback port nobody listens on: send errors are counted, not fatal.
  flowgen_udp* udp = nullptr;
  char error[256];
  if (flowgen_udp_open("127.0.0.1", 9, 0, &udp, error, sizeof error) == FLOWGEN_OK) {
    flowgen_config* c = make_config(0);
    flowgen_generator* g = nullptr;
    flowgen_generator_new(c, &g);
    flowgen_encoder* e = nullptr;
    flowgen_encoder_new(FLOWGEN_FORMAT_NETFLOW9, &e);
    flowgen_generator_next_batch(g, 200);
    flowgen_encoder_encode(e, g);
    flowgen_encoder_finish(e);
    check(flowgen_udp_send_encoded(udp, e) >= 0, "udp send");
    (void)flowgen_udp_errors(udp);
    flowgen_encoder_free(e);
    flowgen_generator_free(g);
    flowgen_config_free(c);
    flowgen_udp_free(udp);
  }
  error_paths(dir);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 3;
  char tmpl[] = "/tmp/flowgen-valgrind-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  if (!dir) return 2;
  check(flowgen_abi_version() == FLOWGEN_ABI_VERSION, "abi version");
  for (int i = 0; i < iterations; ++i) one_iteration(dir, i);
  for (int i = 0; i < iterations; ++i) unlink((std::string(dir) + "/out" + std::to_string(i) + ".jsonl").c_str());
  rmdir(dir);
  std::printf("driver: %d iterations, %d failures\n", iterations, failures);
  return failures ? 1 : 0;
}
