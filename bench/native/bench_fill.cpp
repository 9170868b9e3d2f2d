// bench_fill: records/s of flowgen_generator_next_batch (batch fill only, no encoding) on
// one core, in the brief's packet mode and in flow mode with bidirectional responses,
// against the targets of DESIGN.md (80 M/s and 40 M/s). One run, rates printed.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>

#include "flowgen/flowgen.h"

namespace {

flowgen_config* brief_config() {
  flowgen_config* c = flowgen_config_new();
  flowgen_config_set_seed(c, 42);
  flowgen_config_set_start_timestamp_ns(c, 1704067200ull * 1000000000ull);
  flowgen_config_add_source_subnet(c, "192.168.1.0/24");
  flowgen_config_add_source_subnet(c, "192.168.2.0/24");
  const double weights[] = {70, 30};
  flowgen_config_set_source_weights(c, weights, 2);
  flowgen_config_add_destination_subnet(c, "10.0.0.0/8");
  flowgen_config_add_pattern(c, "web_traffic", 40);
  flowgen_config_add_pattern(c, "dns_traffic", 20);
  flowgen_config_add_pattern(c, "database_traffic", 15);
  flowgen_config_add_pattern(c, "ssh_traffic", 10);
  flowgen_config_add_pattern(c, "random", 15);
  // FLOWGEN_BENCH_BATCH: another batch size, to see how the columns' cache footprint matters.
  if (const char* batch = std::getenv("FLOWGEN_BENCH_BATCH"))
    flowgen_config_set_batch_size(c, uint32_t(std::strtoul(batch, nullptr, 10)));
  return c;
}

double run(const char* name, flowgen_config* c, uint64_t records, double target) {
  flowgen_generator* g = nullptr;
  if (flowgen_generator_new(c, &g) != FLOWGEN_OK) {
    std::fprintf(stderr, "%s: %s\n", name, flowgen_config_error(c));
    std::exit(1);
  }
  const uint32_t capacity = flowgen_generator_batch_capacity(g);
  uint64_t done = 0, checksum = 0;
  // Warm-up batch (page faults of the columns), not timed.
  flowgen_generator_next_batch(g, capacity);
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  while (done < records) {
    const int32_t n = flowgen_generator_next_batch(g, capacity);
    if (n <= 0) break;
    done += uint32_t(n);
    checksum += static_cast<const uint16_t*>(flowgen_generator_column(g, FLOWGEN_COL_LENGTH))[0];
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu_seconds = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
  const double rate = double(done) / seconds;
  // On a shared, loaded machine wall time overstates the cost; the CPU-time rate (records
  // per second of CPU used by the process, all threads) is printed beside it.
  std::printf("%-34s %8.1f M records/s wall, %8.1f M/s per CPU-second  (target %4.0f M/s: %s, "
              "%.2fx)  [checksum %llu]\n",
              name, rate / 1e6, double(done) / cpu_seconds / 1e6, target / 1e6,
              rate >= target ? "met" : "NOT met", rate / target,
              static_cast<unsigned long long>(checksum));
  flowgen_generator_free(g);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t records = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000000ull;
  // Optional second argument: run one mode only (packet, flow or threads), e.g. for
  // callgrind instruction counts per record of that mode.
  const char* only = argc > 2 ? argv[2] : "";
  if (only[0] != 0) {
    flowgen_config* c = brief_config();
    if (only[0] == 'f') {
      flowgen_config_set_flow_model(c, FLOWGEN_MODEL_FLOW);
      flowgen_config_set_bidirectional(c, 0.6);
    } else if (only[0] == 't') {
      flowgen_config_set_threads(c, 2);
    }
    run(only, c, records, only[0] == 'f' ? 40e6 : 80e6);
    flowgen_config_free(c);
    return 0;
  }
  std::printf("batch fill, %llu records per run, one thread, batch 16384\n",
              static_cast<unsigned long long>(records));

  flowgen_config* packet = brief_config();
  const double packet_rate = run("packet mode (brief example config)", packet, records, 80e6);
  flowgen_config_free(packet);

  flowgen_config* flow = brief_config();
  flowgen_config_set_flow_model(flow, FLOWGEN_MODEL_FLOW);
  flowgen_config_set_bidirectional(flow, 0.6);
  const double flow_rate = run("flow mode + bidirectional 0.6", flow, records / 2, 40e6);
  flowgen_config_free(flow);

  flowgen_config* threads = brief_config();
  flowgen_config_set_threads(threads, 2);
  const double threads_rate = run("packet mode, 2 threads merged", threads, records, 80e6);
  flowgen_config_free(threads);

  std::printf("flow/packet ratio %.2f, 2-thread/1-thread ratio %.2f\n", flow_rate / packet_rate,
              threads_rate / packet_rate);
  return 0;
}
