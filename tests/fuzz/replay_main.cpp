// Replays fuzz inputs through a target's LLVMFuzzerTestOneInput without libFuzzer, so that
// ctest (any compiler, no sanitizer needed) re-runs the committed corpus and every finding:
//   <target>_replay <file-or-directory>...
// In a directory, a file named "<name>_fuzz-..." (a libFuzzer artifact, e.g. in
// tests/fuzz/findings/) runs only for the target of that name; other files always run.
// A broken property aborts (the target's own check); a hang is caught by the ctest timeout.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#ifndef FLOWGEN_FUZZ_TARGET
#error "FLOWGEN_FUZZ_TARGET (the target's name) must be defined"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Optional in a target; weak so that targets without it link.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace fs = std::filesystem;

namespace {

// Artifacts of other targets share the findings directory.
bool for_this_target(const fs::path& file) {
  const std::string name = file.filename().string();
  const size_t at = name.find("_fuzz-");
  return at == std::string::npos || name.substr(0, at + 5) == FLOWGEN_FUZZ_TARGET;
}

std::vector<fs::path> inputs(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (!fs::is_directory(arg)) {
      files.push_back(arg);
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(arg))
      if (entry.is_regular_file() && for_this_target(entry.path())) found.push_back(entry.path());
    std::sort(found.begin(), found.end());  // a stable order for reproducible logs
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  const std::vector<fs::path> files = inputs(argc, argv);
  if (files.empty()) {
    std::fprintf(stderr, "%s replay: no inputs\n", FLOWGEN_FUZZ_TARGET);
    return 1;
  }
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s replay: cannot read %s\n", FLOWGEN_FUZZ_TARGET, file.c_str());
      return 1;
    }
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                     std::istreambuf_iterator<char>());
    std::printf("replay %s (%zu bytes)\n", file.c_str(), bytes.size());
    std::fflush(stdout);  // the last line names the input if it hangs or aborts
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("%s replay: %zu inputs passed\n", FLOWGEN_FUZZ_TARGET, files.size());
  return 0;
}
