// bench_models: samples/s of every built-in flow model (request + response per flow), the
// budget of the generator's flow mode (>= 40 M records/s per core with bidirectional flows).
// Usage: bench_models [flows per pattern, default 5000000]
// Times are this thread's CPU time, so other processes on the machine distort them less.
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "flow_model.hpp"
#include "models_builtin.hpp"

using namespace flowgen::detail;

static double thread_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

int main(int argc, char** argv) {
  const long flows = argc > 1 ? std::atol(argv[1]) : 5000000;
  std::printf("%-18s %12s %12s %10s\n", "pattern", "M flows/s", "M records/s", "ns/flow");
  uint64_t checksum = 0;
  for (const BuiltinPattern& pattern : builtin_patterns()) {
    PatternSpec spec;
    spec.type = pattern.type;
    spec.name = pattern.type;
    const auto model = make_flow_model(spec, PacketSizes{}, "bench");
    Rng rng(42);
    FlowShape request, response;
    const double start = thread_seconds();
    for (long i = 0; i < flows; ++i) {
      model->sample_request(rng, request);
      model->sample_response(rng, request, response);
      checksum += request.bytes + response.bytes + request.duration_ns + response.tcp_flags;
    }
    const double seconds = thread_seconds() - start;
    const double per_second = double(flows) / seconds / 1e6;
    std::printf("%-18s %12.1f %12.1f %10.1f\n", pattern.type, per_second, 2 * per_second,
                1e3 / per_second);
  }
  // The cost of one raw wyrand draw in the same run: a yardstick that load on the machine
  // inflates like the numbers above.
  Rng rng(7);
  const double start = thread_seconds();
  for (long i = 0; i < 10 * flows; ++i) checksum += rng.next();
  const double draw_ns = (thread_seconds() - start) * 1e9 / double(10 * flows);
  std::printf("one Rng::next(): %.2f ns\n", draw_ns);
  std::printf("checksum %llu\n", static_cast<unsigned long long>(checksum));
  return 0;
}
