// Which Python runs the server, and how to start it. No `vscode` import: unit-tested under plain node.
import * as path from "node:path";

export type InterpreterSource = "setting" | "python-extension" | "path";

export interface Interpreter {
  python: string;
  source: InterpreterSource;
}

export interface ResolveFailure {
  error: string;
  /** The setting was set but is unusable: the user has to fix it (we never fall back silently). */
  setting: boolean;
}

export interface ResolveInputs {
  /** The raw `homeostasis.interpreter` value ("" or undefined when unset). */
  setting?: string;
  /** Absolute paths of the workspace folders, the first one is used for relative paths. */
  workspaceFolders: readonly string[];
  trusted: boolean;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The Python extension's active interpreter, or undefined when that extension is missing. */
  pythonExtension?: () => Promise<string | undefined>;
  isExecutable: (file: string) => boolean;
  platform?: NodeJS.Platform;
}

/** `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~`, as in VS Code's own settings. */
export function expandVariables(
  value: string,
  vars: { workspaceFolder?: string; home: string; env: Readonly<Record<string, string | undefined>> },
): string {
  let out = value.trim();
  if (out === "~" || out.startsWith("~/")) {
    out = vars.home + out.slice(1);
  }
  return out.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (match, name, envName) => {
    if (name === "userHome") return vars.home;
    if (name === "workspaceFolder") return vars.workspaceFolder ?? match;
    return vars.env[envName as string] ?? "";
  });
}

/** The first `PATH` entry holding an executable `name` (with `PATHEXT` on Windows). */
export function which(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  isExecutable: (file: string) => boolean,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const windows = platform === "win32";
  const sep = windows ? ";" : ":";
  const exts = windows ? (env.PATHEXT ?? ".EXE;.BAT;.CMD").split(";").filter(Boolean) : [""];
  const join = windows ? path.win32.join : path.posix.join;
  for (const dir of (env.PATH ?? env.Path ?? "").split(sep)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function inside(file: string, folders: readonly string[]): boolean {
  const resolved = path.resolve(file);
  return folders.some((folder) => {
    const rel = path.relative(path.resolve(folder), resolved);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
  });
}

/**
 * The interpreter, in order: the `homeostasis.interpreter` setting; the Python extension's
 * selected environment when that extension is installed; `python3` (then `python`) on PATH.
 * In an untrusted workspace an interpreter inside the workspace is never used: running it
 * would run the workspace's code.
 */
export async function resolveInterpreter(inputs: ResolveInputs): Promise<Interpreter | ResolveFailure> {
  const platform = inputs.platform ?? process.platform;
  const first = inputs.workspaceFolders[0];
  const raw = inputs.setting?.trim();
  if (raw) {
    const expanded = expandVariables(raw, { workspaceFolder: first, home: inputs.home, env: inputs.env });
    let python: string | undefined;
    if (expanded.includes("/") || expanded.includes("\\")) {
      const absolute = path.isAbsolute(expanded) ? expanded : first ? path.join(first, expanded) : undefined;
      if (absolute && inputs.isExecutable(absolute)) python = absolute;
    } else {
      python = which(expanded, inputs.env, inputs.isExecutable, platform);
    }
    if (!python) {
      return { error: `homeostasis.interpreter is "${raw}", which is not an executable file`, setting: true };
    }
    if (!inputs.trusted && inside(python, inputs.workspaceFolders)) {
      return {
        error: `homeostasis.interpreter ${python} is inside the workspace, which is not trusted`,
        setting: true,
      };
    }
    return { python, source: "setting" };
  }
  if (inputs.pythonExtension) {
    let selected: string | undefined;
    try {
      selected = await inputs.pythonExtension();
    } catch {
      selected = undefined; // the Python extension failed: fall through to PATH
    }
    if (selected && inputs.isExecutable(selected) && (inputs.trusted || !inside(selected, inputs.workspaceFolders))) {
      return { python: selected, source: "python-extension" };
    }
  }
  const allowed = (file: string): boolean =>
    inputs.isExecutable(file) && (inputs.trusted || !inside(file, inputs.workspaceFolders));
  for (const name of ["python3", "python"]) {
    const found = which(name, inputs.env, allowed, platform);
    if (found) return { python: found, source: "path" };
  }
  return {
    error: "no Python interpreter found: set homeostasis.interpreter, select one with the Python extension, or put python3 on PATH",
    setting: false,
  };
}

export function isFailure(value: Interpreter | ResolveFailure): value is ResolveFailure {
  return "error" in value;
}

export const SERVER_ARGS: readonly string[] = ["-m", "homeostasis", "lsp"];

/** Prints a JSON line saying whether the server can be imported, without starting it. */
export const PROBE_ARGS: readonly string[] = [
  "-c",
  [
    "import importlib.util, json, sys",
    "spec = importlib.util.find_spec('homeostasis')",
    "lsp = spec is not None and importlib.util.find_spec('homeostasis.lsp') is not None",
    "version = None",
    "if lsp:",
    "    from importlib import metadata",
    "    try: version = metadata.version('homeostasis')",
    "    except Exception: version = None",
    "print(json.dumps({'python': sys.version.split()[0], 'executable': sys.executable, 'found': bool(lsp), 'version': version}))",
  ].join("\n"),
];

export type Probe =
  | { kind: "ok"; pythonVersion: string; version?: string }
  | { kind: "missing"; pythonVersion: string }
  | { kind: "too-old"; pythonVersion: string }
  | { kind: "broken"; detail: string };

const MIN_PYTHON: readonly [number, number] = [3, 11];

/** What the probe printed (its last JSON line), and the exit code, as a verdict. */
export function parseProbe(stdout: string, stderr: string, code: number | null): Probe {
  const line = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith("{"))
    .pop();
  if (code !== 0 || !line) {
    const detail = (stderr || stdout).trim().split(/\r?\n/).slice(-3).join(" ");
    return { kind: "broken", detail: detail || `exit code ${code}` };
  }
  let data: { python?: unknown; found?: unknown; version?: unknown };
  try {
    data = JSON.parse(line) as typeof data;
  } catch {
    return { kind: "broken", detail: `unexpected output: ${line.slice(0, 200)}` };
  }
  const pythonVersion = typeof data.python === "string" ? data.python : "?";
  const [major, minor] = pythonVersion.split(".").map((n) => Number.parseInt(n, 10));
  if (major !== undefined && minor !== undefined && !Number.isNaN(major) && !Number.isNaN(minor)) {
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      return { kind: "too-old", pythonVersion };
    }
  }
  if (data.found !== true) return { kind: "missing", pythonVersion };
  return typeof data.version === "string"
    ? { kind: "ok", pythonVersion, version: data.version }
    : { kind: "ok", pythonVersion };
}

/** `python -m pip install SPEC`: the interpreter's own pip, so it lands where the server runs. */
export function pipInstallArgs(spec: string): string[] {
  const target = spec.trim() || "homeostasis";
  return ["-m", "pip", "install", "--upgrade", target];
}
