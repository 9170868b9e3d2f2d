// abi_driver: generates records with a fixed config through the C ABI only and writes them
// to stdout in every text format (plus IPFIX), each section after a "== <format>" line.
// Built natively and for other CPUs (zig c++, run under qemu) to prove the bytes are the
// same everywhere; also the "C++ program" of the cross-runtime determinism test.
//
// usage: abi_driver [records=10000] [seed=42] [formats=csv,json,jsonl,ipfix]
// The config is the brief's example (configs/example_config.yaml) with
// start_timestamp 1704067200, the given max_flows and seed.

#include <flowgen/flowgen.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

int fail(const char* what, const char* message) {
  std::fprintf(stderr, "abi_driver: %s: %s\n", what, message ? message : "(no message)");
  return 1;
}

bool configure(flowgen_config* config, uint64_t records, uint64_t seed) {
  const double source_weights[] = {70, 30};
  return flowgen_config_set_max_flows(config, records) == FLOWGEN_OK &&
         flowgen_config_set_bandwidth_gbps(config, 10.0) == FLOWGEN_OK &&
         flowgen_config_set_start_timestamp_ns(config, 1704067200ull * 1000000000ull) ==
             FLOWGEN_OK &&
         flowgen_config_set_seed(config, seed) == FLOWGEN_OK &&
         flowgen_config_add_pattern(config, "web_traffic", 40) >= 0 &&
         flowgen_config_add_pattern(config, "dns_traffic", 20) >= 0 &&
         flowgen_config_add_pattern(config, "database_traffic", 15) >= 0 &&
         flowgen_config_add_pattern(config, "ssh_traffic", 10) >= 0 &&
         flowgen_config_add_pattern(config, "random", 15) >= 0 &&
         flowgen_config_add_source_subnet(config, "192.168.1.0/24") == FLOWGEN_OK &&
         flowgen_config_add_source_subnet(config, "192.168.2.0/24") == FLOWGEN_OK &&
         flowgen_config_set_source_weights(config, source_weights, 2) == FLOWGEN_OK &&
         flowgen_config_add_destination_subnet(config, "10.0.0.0/8") == FLOWGEN_OK &&
         flowgen_config_set_packet_sizes(config, 64, 1500, 800) == FLOWGEN_OK;
}

int format_code(const std::string& name) {
  if (name == "csv") return FLOWGEN_FORMAT_CSV;
  if (name == "json") return FLOWGEN_FORMAT_JSON;
  if (name == "jsonl") return FLOWGEN_FORMAT_JSONL;
  if (name == "ipfix") return FLOWGEN_FORMAT_IPFIX;
  return -1;
}

void drain(flowgen_encoder* encoder) {
  std::fwrite(flowgen_encoder_data(encoder), 1, flowgen_encoder_size(encoder), stdout);
  flowgen_encoder_consume(encoder);
}

// Writes one format's whole output for a fresh generator.
int write_format(flowgen_config* config, const std::string& name) {
  flowgen_generator* generator = nullptr;
  if (flowgen_generator_new(config, &generator) != FLOWGEN_OK) {
    return fail("generator_new", flowgen_config_error(config));
  }
  flowgen_encoder* encoder = nullptr;
  if (flowgen_encoder_new(format_code(name), &encoder) != FLOWGEN_OK) {
    flowgen_generator_free(generator);
    return fail("encoder_new", name.c_str());
  }
  std::printf("== %s\n", name.c_str());
  int status = 0;
  for (;;) {
    const int32_t n = flowgen_generator_next_batch(generator, FLOWGEN_MAX_BATCH);
    if (n < 0) {
      status = fail("next_batch", flowgen_generator_error(generator));
      break;
    }
    if (n == 0) break;
    if (flowgen_encoder_encode(encoder, generator) != FLOWGEN_OK) {
      status = fail("encode", flowgen_encoder_error(encoder));
      break;
    }
    drain(encoder);
  }
  if (status == 0 && flowgen_encoder_finish(encoder) != FLOWGEN_OK) {
    status = fail("finish", flowgen_encoder_error(encoder));
  }
  drain(encoder);
  flowgen_encoder_free(encoder);
  flowgen_generator_free(generator);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t records = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42;
  const std::string formats = argc > 3 ? argv[3] : "csv,json,jsonl,ipfix";

  flowgen_config* config = flowgen_config_new();
  if (config == nullptr) return fail("config_new", "out of memory");
  if (!configure(config, records, seed)) {
    const int status = fail("config", flowgen_config_error(config));
    flowgen_config_free(config);
    return status;
  }
  int status = 0;
  size_t start = 0;
  while (status == 0 && start <= formats.size()) {
    size_t end = formats.find(',', start);
    if (end == std::string::npos) end = formats.size();
    const std::string name = formats.substr(start, end - start);
    if (format_code(name) < 0) {
      status = fail("unknown format", name.c_str());
    } else {
      status = write_format(config, name);
    }
    start = end + 1;
  }
  flowgen_config_free(config);
  std::fflush(stdout);
  return status;
}
