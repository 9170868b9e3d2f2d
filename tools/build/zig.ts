/**
 * Finds the zig compiler: `FLOWGEN_ZIG` (a zig executable) if set, else the pinned one from
 * the `ziglang` Python package run by any `python3` on PATH, else a `zig` on PATH.
 *
 * Why every `python3`: tools/setup.sh installs ziglang with the first `python3` on PATH
 * (e.g. a pyenv shim), but .ci/run then puts `$(npm prefix -g)/bin` first, which is /usr/bin
 * when npm is Debian's, so a plain `python3 -m ziglang` in the tests found the system
 * Python without ziglang and reported "missing zig".
 *
 * @module
 */

/** A working zig: the command prefix to run it and its version. */
export interface Zig {
  /** e.g. `["python3", "-m", "ziglang"]` or `["/usr/local/bin/zig"]`. */
  command: string[];
  version: string;
}

let found: Promise<Zig | undefined> | undefined;

/** The zig to use, or undefined when none works; looked up once per process. */
export function findZig(): Promise<Zig | undefined> {
  found ??= search();
  return found;
}

async function search(): Promise<Zig | undefined> {
  for (const command of candidates()) {
    const version = await versionOf(command);
    if (version !== undefined) return { command, version };
  }
  return undefined;
}

function candidates(): string[][] {
  const list: string[][] = [];
  const explicit = Deno.env.get("FLOWGEN_ZIG");
  if (explicit) list.push([explicit]);
  const pythons = onPath(/^python3(\.\d+)?$/);
  for (const python of pythons) list.push([python, "-m", "ziglang"]);
  for (const zig of onPath(/^zig$/)) list.push([zig]);
  return list;
}

/** Executables on PATH whose file name matches `pattern`, in PATH order, no duplicates. */
function onPath(pattern: RegExp): string[] {
  const seen = new Set<string>();
  const files: string[] = [];
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      continue;
    }
    for (const entry of entries.filter((e) => pattern.test(e.name)).sort(byName)) {
      const path = `${dir}/${entry.name}`;
      let real = path;
      try {
        real = Deno.realPathSync(path);
      } catch {
        continue; // a dangling link
      }
      if (seen.has(real)) continue;
      seen.add(real);
      files.push(path);
    }
  }
  return files;
}

function byName(a: Deno.DirEntry, b: Deno.DirEntry): number {
  // "python3" before "python3.11": the plain name is the one a user means.
  return a.name.length - b.name.length || a.name.localeCompare(b.name);
}

async function versionOf(command: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(command[0], {
      args: [...command.slice(1), "version"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const version = new TextDecoder().decode(out.stdout).trim();
    return out.success && /^\d+\.\d+/.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}
