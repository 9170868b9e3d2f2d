// bench_csv: CSV records/s end to end through the C ABI (generator batch fill + native CSV
// encoding) into memory and to a file, with and without the writer thread, against the
// targets of DESIGN.md (>= 30 M/s in memory, >= 20 M/s to a file). Rates come from one
// run of this program, on the brief's example config. Each line gives the wall-clock rate
// (what the targets mean) and the rate per CPU second of the process, which stays
// meaningful when other work shares the cores (a loaded machine slows the wall clock).
//
//   bench_csv [records (default 20000000)] [file (default $TMPDIR/flowgen_bench.csv)]
#include <flowgen/flowgen.h>

#include "brief_generator.hpp"
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <string>

namespace {

using bench::check;

// FLOWGEN_BENCH_BATCH: another batch size (the columns' cache footprint).
const uint32_t kBatch = [] {
  const char* batch = std::getenv("FLOWGEN_BENCH_BATCH");
  return batch ? uint32_t(std::strtoul(batch, nullptr, 10)) : 16384u;
}();

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Rate {
  double wall = 0;  // records per wall-clock second
  double cpu = 0;   // records per CPU second of the process (all its threads)
};

// Rates of filling `records` records, encoding them with `encoder` when not NULL: through
// flowgen_encoder_encode_next (the path of the CLI and the exporters, which fills only the
// columns the encoder reads) or, with `separate`, next_batch and then encode.
Rate run(uint64_t records, flowgen_encoder* encoder, bool consume, bool separate = false) {
  flowgen_generator* g = bench::brief_generator(kBatch, 1);
  const std::clock_t cpu_start = std::clock();
  const auto start = std::chrono::steady_clock::now();
  uint64_t done = 0;
  while (done < records) {
    int32_t n = 0;
    if (encoder && !separate) {
      n = flowgen_encoder_encode_next(encoder, g, kBatch);
      check(n, "encode_next", flowgen_encoder_error(encoder));
    } else {
      n = flowgen_generator_next_batch(g, kBatch);
      check(n, "next_batch", flowgen_generator_error(g));
      if (encoder) check(flowgen_encoder_encode(encoder, g), "encode", flowgen_encoder_error(encoder));
    }
    done += static_cast<uint64_t>(n);
    if (encoder && consume) {
      check(flowgen_encoder_consume(encoder), "consume", flowgen_encoder_error(encoder));
    }
  }
  if (encoder) check(flowgen_encoder_finish(encoder), "finish", flowgen_encoder_error(encoder));
  const double elapsed = seconds_since(start);
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  flowgen_generator_free(g);
  return {static_cast<double>(done) / elapsed, static_cast<double>(done) / cpu};
}

Rate csv_to_file(uint64_t records, const std::string& path, int64_t writer_thread,
                 uint64_t* bytes) {
  flowgen_encoder* e = nullptr;
  check(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), "encoder", "");
  check(flowgen_encoder_set_param(e, FLOWGEN_PARAM_WRITER_THREAD, writer_thread), "param",
        flowgen_encoder_error(e));
  check(flowgen_encoder_open(e, path.c_str(), 0), "open", flowgen_encoder_error(e));
  const Rate rate = run(records, e, false);
  flowgen_encoder_stats_t stats{};
  check(flowgen_encoder_stats(e, &stats, sizeof stats), "stats", flowgen_encoder_error(e));
  *bytes = stats.bytes;
  flowgen_encoder_free(e);
  return rate;
}

void report(const char* what, Rate rate, double target) {
  std::printf("%-42s %7.2f M records/s  (%6.2f M per CPU s)", what, rate.wall / 1e6,
              rate.cpu / 1e6);
  if (target > 0) {
    std::printf("  target >= %.0f M/s: %s", target / 1e6, rate.wall >= target ? "met" : "NOT met");
  }
  std::printf("\n");
}

// The encoding's own share: the time per record beyond the fill.
Rate encoding_alone(Rate total, Rate fill) {
  return {1.0 / (1.0 / total.wall - 1.0 / fill.wall), 1.0 / (1.0 / total.cpu - 1.0 / fill.cpu)};
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t records = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000000ULL;
  const char* tmp = std::getenv("TMPDIR");
  const std::string path =
      argc > 2 ? argv[2] : std::string(tmp ? tmp : "/tmp") + "/flowgen_bench.csv";
  std::printf("bench_csv: %llu records per run, brief example config, batches of %u\n",
              static_cast<unsigned long long>(records), kBatch);

  const Rate fill = run(records, nullptr, false);
  report("batch fill only (reference)", fill, 0);

  flowgen_encoder* memory = nullptr;
  check(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &memory), "encoder", "");
  const Rate in_memory = run(records, memory, true);
  flowgen_encoder_free(memory);
  report("CSV in memory, end to end (encode_next)", in_memory, 30e6);
  check(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &memory), "encoder", "");
  const Rate separate = run(records, memory, true, true);
  flowgen_encoder_free(memory);
  report("  the same, next_batch + encode", separate, 0);
  if (separate.wall < fill.wall && separate.cpu < fill.cpu) {
    report("  CSV encoding alone (beyond a full fill)", encoding_alone(separate, fill), 0);
  }

  uint64_t bytes = 0;
  const Rate file_one = csv_to_file(records, path, 0, &bytes);
  report("CSV to a file, one thread", file_one, 0);
  const Rate file_two = csv_to_file(records, path, 1, &bytes);
  report("CSV to a file, writer thread", file_two, 20e6);
  std::printf("%-42s %7.2f x wall clock (file %s, %.2f GB, %.0f bytes/record)\n",
              "writer thread speed-up", file_two.wall / file_one.wall, path.c_str(),
              static_cast<double>(bytes) / 1e9, static_cast<double>(bytes) / double(records));
  // Only a file the bench wrote: `bench_csv N /dev/null` must not delete the device (as
  // root it did, and the next `> /dev/null` made a regular file that fills up).
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) std::remove(path.c_str());
  return 0;
}
