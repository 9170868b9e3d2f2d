// bench_stores: the store ceiling of the packet-mode batch fill on this machine. One loop
// writes the columns the fill writes (the same types, 16384 records per batch, 50 bytes per
// record) with values from one add per record and no random draws. If the engine's fill ran
// near this rate, column stores would be what bounds it; it runs far below.
//
//   bench_stores [records (default 200000000)] [batch (default 16384)]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

int main(int argc, char** argv) {
  const uint64_t records = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000000ull;
  const uint32_t batch = argc > 2 ? uint32_t(std::strtoul(argv[2], nullptr, 10)) : 16384;
  std::vector<uint64_t> timestamp(batch), bytes(batch), flow_id(batch);
  std::vector<double> seconds(batch);
  std::vector<uint32_t> src(batch), dst(batch);
  std::vector<uint16_t> src_port(batch), dst_port(batch), length(batch);
  std::vector<uint8_t> protocol(batch), flags(batch), pattern(batch), version(batch);
  uint64_t x = 12345, checksum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  for (uint64_t done = 0; done < records; done += batch) {
    // Restrict-qualified locals, as the engine's loops keep their column pointers.
    uint64_t* __restrict ts = timestamp.data();
    uint64_t* __restrict by = bytes.data();
    uint64_t* __restrict id = flow_id.data();
    double* __restrict sec = seconds.data();
    uint32_t* __restrict s4 = src.data();
    uint32_t* __restrict d4 = dst.data();
    uint16_t* __restrict sp = src_port.data();
    uint16_t* __restrict dp = dst_port.data();
    uint16_t* __restrict len = length.data();
    uint8_t* __restrict pr = protocol.data();
    uint8_t* __restrict fl = flags.data();
    uint8_t* __restrict pa = pattern.data();
    uint8_t* __restrict ve = version.data();
    for (uint32_t i = 0; i < batch; ++i) {
      x += 0x9e37;
      const uint32_t y = uint32_t(x);
      ts[i] = x;
      by[i] = y & 1023;
      id[i] = done + i;
      sec[i] = double(x) * 1e-9;
      s4[i] = y;
      d4[i] = y ^ 5;
      sp[i] = uint16_t(y);
      dp[i] = uint16_t(y >> 3);
      len[i] = uint16_t(y >> 5);
      pr[i] = uint8_t(y);
      fl[i] = uint8_t(y >> 1);
      pa[i] = uint8_t(y >> 2);
      ve[i] = 4;
    }
    checksum += timestamp[7] + length[batch - 1];
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf("column stores only, batch %u: %.1f M records/s wall, %.1f M/s per CPU-second "
              "[checksum %llu]\n",
              batch, double(records) / wall / 1e6, double(records) / cpu / 1e6,
              static_cast<unsigned long long>(checksum));
}
