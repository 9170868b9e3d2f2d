/**
 * The platforms FlowGen ships prebuilt libraries for: their names (`<os>-<arch>[-<libc>]`,
 * the directory under prebuilt/), zig targets and library file names. The runtime side of
 * this table is src/native/platform.ts.
 *
 * @module
 */

/** One prebuilt platform. */
export interface Platform {
  /** Directory name under prebuilt/ and in the npm package. */
  name: string;
  /** `zig c++ -target` value (glibc 2.28: RHEL 8, Debian 10, Ubuntu 20.04 and newer). */
  zigTarget: string;
  /** Shared library file name on that platform. */
  library: string;
  /** Extra compiler/linker flags. */
  flags: string[];
}

/**
 * `-z nodelete`: dlclose leaves the library mapped. zig links no crtbeginS, whose fini calls
 * `__cxa_finalize` for the library (ziglang/zig#17908), so the destructors of the engine's
 * function-local statics stay registered with exit() after koffi unloads the library at
 * Node's exit, and exit() then jumped into unmapped memory (SIGSEGV, exit code 139).
 */
const LINUX_FLAGS = ["-Wl,-z,nodelete"];

/** Every platform `build.ts cross` builds. */
export const PLATFORMS: Platform[] = [
  {
    name: "linux-x64-gnu",
    zigTarget: "x86_64-linux-gnu.2.28",
    library: "libflowgen.so",
    flags: LINUX_FLAGS,
  },
  {
    name: "linux-arm64-gnu",
    zigTarget: "aarch64-linux-gnu.2.28",
    library: "libflowgen.so",
    flags: LINUX_FLAGS,
  },
  {
    name: "macos-x64",
    zigTarget: "x86_64-macos",
    library: "libflowgen.dylib",
    flags: ["-Wl,-install_name,@rpath/libflowgen.dylib"],
  },
  {
    name: "macos-arm64",
    zigTarget: "aarch64-macos",
    library: "libflowgen.dylib",
    flags: ["-Wl,-install_name,@rpath/libflowgen.dylib"],
  },
  {
    name: "windows-x64",
    zigTarget: "x86_64-windows-gnu",
    library: "flowgen.dll",
    flags: ["-lws2_32"],
  },
];
