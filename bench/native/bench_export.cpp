// bench_export: NetFlow v5/v9 and IPFIX encoding speed into memory (records/s on one core,
// target >= 40 M/s for v9 and IPFIX), and the as-fast-as-possible UDP send rate over
// loopback to a socket of this process that never reads (the kernel drops what overflows).
// Usage: bench_export [records per format, default 20000000]
// Only the encode/send calls are timed, with this thread's CPU time for encoding.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "flowgen/flowgen.h"

#ifndef _WIN32
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace {

double thread_seconds() {
#ifdef CLOCK_THREAD_CPUTIME_ID
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
#else
  return double(std::clock()) / CLOCKS_PER_SEC;
#endif
}

double wall_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void check(int32_t rc, const char* what) {
  if (rc < 0) {
    std::fprintf(stderr, "%s failed: %s\n", what, flowgen_status_string(rc));
    std::exit(1);
  }
}

// A generator with the brief's example mix (IPv4, or IPv4 and IPv6 sources alike), one
// full batch generated.
flowgen_generator* make_generator(uint32_t batch, bool ipv6, double bidirectional = 0) {
  flowgen_config* config = flowgen_config_new();
  check(flowgen_config_set_bidirectional(config, bidirectional), "bidirectional");
  check(flowgen_config_set_seed(config, 42), "seed");
  check(flowgen_config_set_batch_size(config, batch), "batch size");
  check(flowgen_config_add_source_subnet(config, "192.168.0.0/16"), "subnet");
  if (ipv6) check(flowgen_config_add_source_subnet(config, "2001:db8::/48"), "subnet");
  check(flowgen_config_add_destination_subnet(config, "10.0.0.0/8"), "subnet");
  if (ipv6) check(flowgen_config_add_destination_subnet(config, "2001:db8:1::/48"), "subnet");
  check(flowgen_config_add_pattern(config, "web_traffic", 60), "pattern");
  check(flowgen_config_add_pattern(config, "dns_traffic", 25), "pattern");
  check(flowgen_config_add_pattern(config, "ssh_traffic", 15), "pattern");
  flowgen_generator* generator = nullptr;
  const int32_t rc = flowgen_generator_new(config, &generator);
  if (rc < 0) std::fprintf(stderr, "config: %s\n", flowgen_config_error(config));
  check(rc, "generator_new");
  flowgen_config_free(config);
  check(flowgen_generator_next_batch(generator, batch), "next_batch");
  return generator;
}

void bench_encode(const char* name, int32_t format, flowgen_generator* generator, long records,
                  int32_t param = FLOWGEN_PARAM_SKIP_UNSUPPORTED) {
  flowgen_encoder* encoder = nullptr;
  check(flowgen_encoder_new(format, &encoder), "encoder_new");
  check(flowgen_encoder_set_param(encoder, param, 1), "param");
  const long batch = flowgen_generator_batch_size(generator);
  long done = 0;
  uint64_t bytes = 0;
  const double start = thread_seconds();
  while (done < records) {
    check(flowgen_encoder_encode(encoder, generator), "encode");
    bytes += flowgen_encoder_size(encoder);
    check(flowgen_encoder_consume(encoder), "consume");
    done += batch;
  }
  const double seconds = thread_seconds() - start;
  std::printf("%-10s encode  %8.1f M records/s  %8.1f MB/s\n", name, done / seconds / 1e6,
              double(bytes) / seconds / 1e6);
  flowgen_encoder_free(encoder);
}

#ifndef _WIN32
void bench_send(const char* name, int32_t format, flowgen_generator* generator, long records) {
  // A sink socket on 127.0.0.1 that never reads: the kernel drops what overflows.
  const int sink = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(sink, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(sink, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("sink socket");
    std::exit(1);
  }
  char error[256];
  flowgen_udp* udp = nullptr;
  check(flowgen_udp_open("127.0.0.1", ntohs(address.sin_port), 0, &udp, error, sizeof error),
        "udp_open");
  flowgen_encoder* encoder = nullptr;
  check(flowgen_encoder_new(format, &encoder), "encoder_new");
  check(flowgen_encoder_set_param(encoder, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1), "param");
  const long batch = flowgen_generator_batch_size(generator);
  long done = 0, packets = 0;
  const double start = wall_seconds();
  while (done < records) {
    check(flowgen_encoder_encode(encoder, generator), "encode");
    const int32_t sent = flowgen_udp_send_encoded(udp, encoder);
    check(sent, "send");
    packets += sent;
    done += batch;
  }
  const double seconds = wall_seconds() - start;
  std::printf("%-10s send    %8.2f M records/s  %8.0f packets/s (loopback, %u send errors)\n",
              name, done / seconds / 1e6, packets / seconds, flowgen_udp_errors(udp));
  flowgen_encoder_free(encoder);
  flowgen_udp_free(udp);
  close(sink);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  const long records = argc > 1 ? std::atol(argv[1]) : 20000000;
  const struct {
    const char* name;
    int32_t format;
  } formats[] = {{"ipfix", FLOWGEN_FORMAT_IPFIX},
                 {"netflow9", FLOWGEN_FORMAT_NETFLOW9},
                 {"netflow5", FLOWGEN_FORMAT_NETFLOW5}};
  flowgen_generator* ipv4 = make_generator(16384, false);
  flowgen_generator* mixed = make_generator(16384, true);
  std::printf("IPv4 records:\n");
  for (const auto& f : formats) bench_encode(f.name, f.format, ipv4, records);
  std::printf("IPv4 and IPv6 records, half and half (v5 skips IPv6):\n");
  for (const auto& f : formats) bench_encode(f.name, f.format, mixed, records);
  // One batch encoded again and again (its flow ids repeat, a repeat releases the held
  // request): a rough measure of the pairing map's cost per record.
  flowgen_generator* pairs = make_generator(16384, true, 0.5);
  std::printf("IPFIX RFC 5103 biflows, half the requests answered:\n");
  bench_encode("ipfix", FLOWGEN_FORMAT_IPFIX, pairs, records / 4, FLOWGEN_PARAM_IPFIX_BIFLOW);
  flowgen_generator_free(pairs);
#ifndef _WIN32
  std::printf("UDP send over loopback, IPv4 records:\n");
  for (const auto& f : formats) bench_send(f.name, f.format, ipv4, records / 20);
#endif
  flowgen_generator_free(ipv4);
  flowgen_generator_free(mixed);
  return 0;
}
