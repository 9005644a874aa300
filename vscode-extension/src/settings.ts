// The `homeostasis.*` settings as the server reads them. No `vscode` import: unit-tested under plain node.

/** Keys the server reads (server/lsp/settings.py), spelled as it reads them. */
export const SERVER_KEYS = [
  "enable",
  "disable",
  "severity",
  "confidenceThreshold",
  "pathRemaps",
  "unsafeFixes",
  "exclude",
  "maxFileBytes",
  "workspaceDiagnostics",
  "errorGlobs",
  "testCommand",
  "testTimeout",
  "rules",
  "configurationPreference",
  "diagnosticDelay",
] as const;

export type ServerKey = (typeof SERVER_KEYS)[number];

/** Keys only this extension reads; the server would report them as unknown settings. */
export const CLIENT_KEYS = ["interpreter", "installSpec", "terminalLinks", "trace.server"] as const;

/** Keys that restart the server when they change (the others are sent to the running server). */
export const RESTART_KEYS = ["interpreter"] as const;

/** Keys whose workspace values could make us run the workspace's code: user values only when untrusted. */
export const RESTRICTED_KEYS: ReadonlySet<string> = new Set(["interpreter", "installSpec", "testCommand", "rules"]);

/** What `WorkspaceConfiguration.inspect` returns, reduced to the levels that matter. */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The value the user set for a key, or undefined when only the default applies. Defaults are never
 * sent: a default would override `[tool.homeostasis]` in pyproject.toml (the editor's layer wins).
 */
export function explicitValue(inspected: Inspected | undefined, restricted: boolean, trusted: boolean): unknown {
  if (!inspected) return undefined;
  const workspaceAllowed = trusted || !restricted;
  if (workspaceAllowed && inspected.workspaceFolderValue !== undefined) return inspected.workspaceFolderValue;
  if (workspaceAllowed && inspected.workspaceValue !== undefined) return inspected.workspaceValue;
  return inspected.globalValue;
}

function normalize(key: ServerKey, value: unknown): unknown {
  if (key === "testCommand") {
    if (typeof value === "string" && value.trim() === "") return undefined; // "" = the server's default
    if (Array.isArray(value) && value.length === 0) return undefined;
  }
  return value;
}

/**
 * The settings object for the server (a `workspace/configuration` answer or `initializationOptions`):
 * the keys the user set, plus `trusted`, which only the editor decides. In an untrusted workspace
 * no test command and no extra rule folders are passed at all.
 */
export function serverSettings(
  inspect: (key: ServerKey) => Inspected | undefined,
  trusted: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    if (!trusted && (key === "testCommand" || key === "rules")) continue;
    const value = normalize(key, explicitValue(inspect(key), RESTRICTED_KEYS.has(key), trusted));
    if (value !== undefined && value !== null) out[key] = value;
  }
  out.trusted = trusted;
  return out;
}

/** Whether a configuration change (as `affects(section)`) needs a server restart. */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_KEYS.some((key) => affects(`homeostasis.${key}`));
}
