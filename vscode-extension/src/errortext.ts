// Recognising error output and runtime diagnostics. No `vscode` import: unit-tested under plain node.

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** Lines that start a report of a failure, in the formats the server reads. */
const HEADERS: readonly RegExp[] = [
  /Traceback \(most recent call last\):/, // Python
  /Exception in thread "[^"]*" [\w.$]+/, // Java, Kotlin
  /^panic: /, // Go
  /thread '[^']*' panicked at/, // Rust
  /^Unhandled exception\. [\w.]+/, // .NET
  /PHP (?:Fatal|Parse) error: /,
];

/** The last line of a Python traceback or a JS error: `KeyError: 'x'`, `pkg.mod.Error: msg`, `TypeError: ...`. */
const EXCEPTION_LINE = /^(?:[A-Za-z_][\w]*\.)*(?:[A-Z][\w]*(?:Error|Exception|Exit|Interrupt|Warning|Failure|Group))(?::|$)/;

/** Python frame lines: `  File "app.py", line 10, in main`. */
const PYTHON_FRAME = /^\s+File "[^"]+", line \d+/;
/** JavaScript frame lines: `    at main (/app/x.js:10:5)`. */
const JS_FRAME = /^\s+at .+:\d+:\d+\)?$/;

export function looksLikeErrorOutput(text: string): boolean {
  const lines = stripAnsi(text).split(/\r?\n/);
  let frames = 0;
  for (const line of lines) {
    if (HEADERS.some((h) => h.test(line))) return true;
    if (PYTHON_FRAME.test(line) || JS_FRAME.test(line)) frames += 1;
  }
  return frames > 0 && lines.some((l) => EXCEPTION_LINE.test(l.trim()));
}

export interface LinkRange {
  startIndex: number;
  length: number;
}

/** The parts of one terminal line worth a link "analyze this error": a header or the exception line. */
export function terminalLinkRanges(line: string): LinkRange[] {
  const clean = stripAnsi(line);
  if (clean.length !== line.length) return []; // offsets would not match what the terminal shows
  for (const header of HEADERS) {
    const match = header.exec(clean);
    if (match) return [{ startIndex: match.index, length: match[0].length }];
  }
  const trimmed = clean.trimStart();
  const match = EXCEPTION_LINE.exec(trimmed);
  if (match && clean.length === trimmed.length) {
    // Only an unindented exception line: indented ones are usually source lines or log text.
    const end = clean.search(/\s*$/);
    return [{ startIndex: 0, length: Math.max(end, match[0].length) }];
  }
  return [];
}

const CHAINED = /^(During handling of the above exception|The above exception was the direct cause)/;

/**
 * The failure that `line` belongs to, from a terminal's recent output: from the header before it
 * (following chained exceptions back) to the exception line that closes it. The whole tail when
 * the line is not found; the server skips lines that are not error output anyway.
 */
export function errorBlockAround(output: string, line: string, maxChars = 256 * 1024): string {
  const text = stripAnsi(output).replace(/\r\n?/g, "\n");
  const tail = text.length > maxChars ? text.slice(text.length - maxChars) : text;
  const target = stripAnsi(line).trimEnd();
  const lines = tail.split("\n");
  const index = target.trim() ? lines.map((l) => l.trimEnd()).lastIndexOf(target) : -1;
  if (index < 0) return tail;
  const isHeader = (i: number): boolean => HEADERS.some((h) => h.test(lines[i] ?? ""));
  let start = -1;
  for (let i = index; i >= 0 && index - i <= 5000; i--) {
    if (!isHeader(i)) continue;
    start = i;
    // "During handling of the above exception, another exception occurred:" then a blank line.
    if (!CHAINED.test(lines[i - 2] ?? "") && !CHAINED.test(lines[i - 1] ?? "")) break;
  }
  if (start < 0) start = Math.max(0, index - 200);
  let end = Math.min(lines.length - 1, index + 200);
  for (let i = isHeader(index) ? index + 1 : index; i < lines.length && i - index <= 5000; i++) {
    const current = lines[i] ?? "";
    if (!/^\s/.test(current) && EXCEPTION_LINE.test(current.trim())) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end + 1).join("\n") + "\n";
}

/** The suffix the server puts on every runtime diagnostic: ` [seen 12:34:56 in paste]`. */
const SEEN = / \[seen \d{2}:\d{2}:\d{2} in [^\]]*\](?: \(stale: [^)]*\))?$/;

export interface DiagnosticLike {
  source?: string;
  message: string;
  data?: unknown;
}

export function isRuntimeDiagnostic(d: DiagnosticLike): boolean {
  if (d.source !== "homeostasis") return false;
  const data = d.data as { kind?: unknown } | undefined;
  if (data && typeof data === "object" && typeof data.kind === "string") return data.kind === "runtime";
  return SEEN.test(d.message);
}

export function countRuntime(all: Iterable<readonly DiagnosticLike[]>): number {
  let count = 0;
  for (const list of all) for (const d of list) if (isRuntimeDiagnostic(d)) count += 1;
  return count;
}

export type ServerState = "starting" | "running" | "stopped" | "missing" | "failed" | "untrusted-interpreter";

export interface StatusView {
  text: string;
  tooltip: string;
  error: boolean;
}

export function statusView(state: ServerState, runtimeErrors: number, detail = ""): StatusView {
  const suffix = detail ? `\n${detail}` : "";
  switch (state) {
    case "starting":
      return { text: "$(sync~spin) Homeostasis", tooltip: `Homeostasis: starting the server${suffix}`, error: false };
    case "running":
      if (runtimeErrors > 0) {
        const noun = runtimeErrors === 1 ? "runtime error" : "runtime errors";
        return {
          text: `$(bug) Homeostasis: ${runtimeErrors}`,
          tooltip: `Homeostasis: running, ${runtimeErrors} ${noun} shown${suffix}`,
          error: true,
        };
      }
      return { text: "$(pass) Homeostasis", tooltip: `Homeostasis: running, no runtime errors${suffix}`, error: false };
    case "missing":
      return { text: "$(warning) Homeostasis: not installed", tooltip: `Homeostasis is not installed${suffix}`, error: true };
    case "untrusted-interpreter":
    case "failed":
      return { text: "$(error) Homeostasis", tooltip: `Homeostasis: the server could not start${suffix}`, error: true };
    case "stopped":
      return { text: "$(circle-slash) Homeostasis", tooltip: `Homeostasis: stopped${suffix}`, error: false };
  }
}

export interface ActionLike {
  title: string;
  isPreferred?: boolean;
  /** Messages of the diagnostics the action fixes, when the server said. */
  diagnostics?: readonly string[];
}

/**
 * The quick fix "Apply All Safe Fixes" takes for one runtime diagnostic: the server marks a safe
 * fix as preferred; an unsafe one carries "(unsafe)" in its title and is taken only when the
 * `unsafeFixes` setting allows it. Suggestions and "Show documentation" are never taken.
 */
export function chooseFix<T extends ActionLike>(actions: readonly T[], message: string, unsafe: boolean): T | undefined {
  const mine = actions.filter((a) => !a.diagnostics || a.diagnostics.length === 0 || a.diagnostics.includes(message));
  const safe = mine.find((a) => a.isPreferred === true);
  if (safe) return safe;
  return unsafe ? mine.find((a) => /\(unsafe\)$/.test(a.title)) : undefined;
}
