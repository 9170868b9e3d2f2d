// bench_models: samples/s of every built-in flow model (request + response per flow), the
// budget of the generator's flow mode (>= 40 M records/s per core with bidirectional flows).
// Usage: bench_models [flows per pattern, default 5000000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "flow_model.hpp"
#include "models_builtin.hpp"

using namespace flowgen::detail;

int main(int argc, char** argv) {
  const long flows = argc > 1 ? std::atol(argv[1]) : 5000000;
  std::printf("%-18s %14s %14s\n", "pattern", "M flows/s", "M records/s");
  uint64_t checksum = 0;
  for (const BuiltinPattern& pattern : builtin_patterns()) {
    PatternSpec spec;
    spec.type = pattern.type;
    spec.name = pattern.type;
    const auto model = make_flow_model(spec, PacketSizes{}, "bench");
    Rng rng(42);
    FlowShape request, response;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < flows; ++i) {
      model->sample_request(rng, request);
      model->sample_response(rng, request, response);
      checksum += request.bytes + response.bytes + request.duration_ns + response.tcp_flags;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double per_second = double(flows) / seconds / 1e6;
    std::printf("%-18s %14.1f %14.1f\n", pattern.type, per_second, 2 * per_second);
  }
  std::printf("checksum %llu\n", static_cast<unsigned long long>(checksum));
  return 0;
}
