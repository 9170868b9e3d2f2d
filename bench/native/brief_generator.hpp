// The brief's example config (configs/example_config.yaml) as a generator, through the C
// ABI, for the native benches; any error ends the program with its message.
#pragma once

#include <flowgen/flowgen.h>

#include <cstdio>
#include <cstdlib>

namespace bench {

inline void check(int32_t status, const char* what, const char* message) {
  if (status < 0) {
    std::fprintf(stderr, "%s failed: %s (%s)\n", what, flowgen_status_string(status), message);
    std::exit(1);
  }
}

// Seed 2024, start 2024-01-01, batches of `batch` records, `threads` worker threads; with
// `flow`, flow mode with bidirectional responses (probability 0.6) instead of packet mode.
inline flowgen_generator* brief_generator(uint32_t batch, uint32_t threads, bool flow = false) {
  flowgen_config* c = flowgen_config_new();
  check(flowgen_config_set_seed(c, 2024), "seed", flowgen_config_error(c));
  check(flowgen_config_set_bandwidth_gbps(c, 10.0), "bandwidth", flowgen_config_error(c));
  check(flowgen_config_set_start_timestamp_ns(c, 1704067200ULL * 1000000000ULL), "start",
        flowgen_config_error(c));
  check(flowgen_config_set_batch_size(c, batch), "batch size", flowgen_config_error(c));
  if (threads > 1) check(flowgen_config_set_threads(c, threads), "threads", flowgen_config_error(c));
  if (flow) {
    check(flowgen_config_set_flow_model(c, FLOWGEN_MODEL_FLOW), "flow model", flowgen_config_error(c));
    check(flowgen_config_set_bidirectional(c, 0.6), "bidirectional", flowgen_config_error(c));
  }
  check(flowgen_config_add_source_subnet(c, "192.168.1.0/24"), "subnet", flowgen_config_error(c));
  check(flowgen_config_add_source_subnet(c, "192.168.2.0/24"), "subnet", flowgen_config_error(c));
  const double weights[] = {70, 30};
  check(flowgen_config_set_source_weights(c, weights, 2), "weights", flowgen_config_error(c));
  check(flowgen_config_add_destination_subnet(c, "10.0.0.0/8"), "subnet", flowgen_config_error(c));
  const struct {
    const char* type;
    double percentage;
  } patterns[] = {{"web_traffic", 40}, {"dns_traffic", 20}, {"database_traffic", 15},
                  {"ssh_traffic", 10}, {"random", 15}};
  for (const auto& p : patterns) {
    check(flowgen_config_add_pattern(c, p.type, p.percentage), "pattern", flowgen_config_error(c));
  }
  flowgen_generator* g = nullptr;
  check(flowgen_generator_new(c, &g), "generator", flowgen_config_error(c));
  flowgen_config_free(c);
  return g;
}

}  // namespace bench
