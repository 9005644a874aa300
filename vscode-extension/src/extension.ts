// The Homeostasis extension: finds Python, starts `python -m homeostasis lsp`, adds commands,
// a status bar item and terminal links. The decisions live in modules without `vscode`
// (interpreter.ts, settings.ts, errortext.ts) so they are unit-tested under plain node.
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";
import { chooseFix, countRuntime, isRuntimeDiagnostic, looksLikeErrorOutput, type ServerState, statusView } from "./errortext";
import {
  type Interpreter,
  isFailure,
  parseProbe,
  pipInstallArgs,
  PROBE_ARGS,
  type Probe,
  resolveInterpreter,
  SERVER_ARGS,
} from "./interpreter";
import { onInterpreterChange, pythonExtensionInstalled, selectedInterpreter } from "./python";
import { explicitValue, needsRestart, RESTRICTED_KEYS, type ServerKey, serverSettings } from "./settings";
import { copyTerminalText, ErrorLinkProvider, TerminalRecorder } from "./terminal";

const SECTION = "homeostasis";
const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append(SECTION);
const PROBE_TIMEOUT_MS = 60_000;

/** Documents the server reads: every language it has a plugin for, on disk or unsaved. */
const LANGUAGES = [
  "python",
  "javascript",
  "javascriptreact",
  "typescript",
  "typescriptreact",
  "java",
  "kotlin",
  "csharp",
  "go",
  "rust",
  "ruby",
  "php",
  "yaml",
  "json",
  "jsonc",
  "toml",
  "dockerfile",
  "terraform",
];
const PATTERNS = ["**/*.{kt,kts,tf,tfvars,toml}", "**/Dockerfile", "**/*.Dockerfile"];

interface IngestResult {
  errors: number;
  diagnostics: number;
  problems?: string[];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(
  command: string,
  args: readonly string[],
  timeout: number,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr || (error && !stdout ? error.message : "")), code });
    });
  });
}

class Homeostasis implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel("Homeostasis", { log: true });
  private readonly status = vscode.window.createStatusBarItem("homeostasis.status", vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly recorder = new TerminalRecorder();
  private client: LanguageClient | undefined;
  private clientState: vscode.Disposable | undefined;
  private interpreter: Interpreter | undefined;
  private state: ServerState = "stopped";
  private detail = "";
  private runtimeErrors = 0;
  private lifecycle: Promise<void> = Promise.resolve();

  constructor(readonly context: vscode.ExtensionContext) {
    this.status.name = "Homeostasis";
    this.status.command = "homeostasis.statusMenu";
    this.status.show();
    this.disposables.push(this.log, this.status, this.recorder);
  }

  // Settings ---------------------------------------------------------------------------------

  private get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** A client-side setting, ignoring workspace values of restricted keys in an untrusted workspace. */
  private clientSetting<T>(key: string, fallback: T): T {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
    const value = explicitValue(inspected, RESTRICTED_KEYS.has(key), this.trusted);
    return value === undefined ? fallback : (value as T);
  }

  private settingsFor(scopeUri?: string): Record<string, unknown> {
    const scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return serverSettings((key: ServerKey) => config.inspect(key), this.trusted);
  }

  private folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  }

  // Lifecycle --------------------------------------------------------------------------------

  /** Runs start/stop/restart one at a time, in order. */
  private queue(step: () => Promise<void>): Promise<void> {
    this.lifecycle = this.lifecycle.then(step, step).catch((error: unknown) => {
      this.log.error(`${String(error)}`);
    });
    return this.lifecycle;
  }

  start(): Promise<void> {
    return this.queue(() => this.doStart());
  }

  restart(reason: string): Promise<void> {
    this.log.info(`restarting the server: ${reason}`);
    return this.queue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.queue(() => this.doStop());
  }

  private setState(state: ServerState, detail = this.detail): void {
    this.state = state;
    this.detail = detail;
    const view = statusView(state, this.runtimeErrors, detail);
    this.status.text = view.text;
    this.status.tooltip = view.tooltip;
    this.status.accessibilityInformation = { label: view.tooltip.split("\n")[0] ?? view.tooltip };
    this.status.backgroundColor = view.error ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    void vscode.commands.executeCommand("setContext", "homeostasis.running", state === "running");
  }

  private async doStart(): Promise<void> {
    this.setState("starting", "");
    const folders = this.folders();
    const resolved = await resolveInterpreter({
      setting: this.clientSetting<string>("interpreter", ""),
      workspaceFolders: folders,
      trusted: this.trusted,
      home: os.homedir(),
      env: process.env,
      pythonExtension: pythonExtensionInstalled()
        ? () => selectedInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri)
        : undefined,
      isExecutable,
    });
    if (isFailure(resolved)) {
      this.interpreter = undefined;
      this.setState("failed", resolved.error);
      this.log.error(resolved.error);
      void this.offerInterpreterChoice(`Homeostasis: ${resolved.error}.`);
      return;
    }
    this.interpreter = resolved;
    this.log.info(`interpreter: ${resolved.python} (from ${resolved.source})`);
    const probe = await this.probe(resolved.python);
    if (probe.kind !== "ok") {
      this.reportProbe(resolved, probe);
      return;
    }
    this.log.info(`homeostasis ${probe.version ?? "(unknown version)"} on Python ${probe.pythonVersion}`);
    const client = this.createClient(resolved.python, folders[0]);
    this.client = client;
    this.clientState = client.onDidChangeState((event) => {
      if (this.client !== client) return;
      if (event.newState === State.Running) this.setState("running", `${resolved.python}`);
      else if (event.newState === State.Starting) this.setState("starting");
      else this.setState("stopped");
    });
    try {
      await client.start();
      this.setState("running", `${resolved.python}`);
    } catch (error) {
      this.setState("failed", String(error));
      this.log.error(`the server did not start: ${String(error)}`);
      void vscode.window
        .showErrorMessage(`Homeostasis: the server did not start (${resolved.python}).`, "Show Output")
        .then((choice) => choice && this.log.show());
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.clientState?.dispose();
    this.clientState = undefined;
    if (client) {
      try {
        if (client.isRunning()) await client.stop(5000);
      } catch (error) {
        this.log.warn(`stopping the server: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState("stopped", "");
  }

  private async probe(python: string): Promise<Probe> {
    const result = await run(python, PROBE_ARGS, PROBE_TIMEOUT_MS);
    return parseProbe(result.stdout, result.stderr, result.code);
  }

  private reportProbe(interpreter: Interpreter, probe: Exclude<Probe, { kind: "ok" }>): void {
    const where = `${interpreter.python} (${interpreter.source === "path" ? "python3 on PATH" : interpreter.source})`;
    if (probe.kind === "missing") {
      const message = `Homeostasis is not installed in the Python at ${where}.`;
      this.setState("missing", message);
      this.log.error(`${message} Install it with: ${interpreter.python} ${pipInstallArgs(this.clientSetting("installSpec", "homeostasis")).join(" ")}`);
      void this.offerInstall(interpreter, message);
      return;
    }
    const message =
      probe.kind === "too-old"
        ? `Homeostasis needs Python 3.11 or newer; ${where} is Python ${probe.pythonVersion}.`
        : `the Python at ${where} does not run: ${probe.detail}`;
    this.setState("failed", message);
    this.log.error(message);
    void this.offerInterpreterChoice(`Homeostasis: ${message}`);
  }

  private async offerInterpreterChoice(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, "Choose Interpreter", "Show Output");
    if (choice === "Show Output") this.log.show();
    if (choice === "Choose Interpreter") await this.chooseInterpreter();
  }

  private async chooseInterpreter(): Promise<void> {
    if (pythonExtensionInstalled() && !this.clientSetting<string>("interpreter", "")) {
      await vscode.commands.executeCommand("python.setInterpreter");
    } else {
      await vscode.commands.executeCommand("workbench.action.openSettings", "homeostasis.interpreter");
    }
  }

  private async offerInstall(interpreter: Interpreter, message: string): Promise<void> {
    const spec = this.clientSetting("installSpec", "homeostasis");
    const choice = await vscode.window.showErrorMessage(
      `${message} Install it (pip install ${spec})?`,
      "Install",
      "Choose Interpreter",
      "Show Output",
    );
    if (choice === "Show Output") this.log.show();
    if (choice === "Choose Interpreter") await this.chooseInterpreter();
    if (choice === "Install") await this.install(interpreter.python, spec);
  }

  private async install(python: string, spec: string): Promise<void> {
    const args = pipInstallArgs(spec);
    this.log.info(`running: ${python} ${args.join(" ")}`);
    const code = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Installing ${spec} into ${python}`, cancellable: true },
      (_progress, token) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(python, args, { stdio: ["ignore", "pipe", "pipe"] });
          token.onCancellationRequested(() => child.kill());
          child.stdout.on("data", (chunk: Buffer) => this.log.info(chunk.toString().trimEnd()));
          child.stderr.on("data", (chunk: Buffer) => this.log.warn(chunk.toString().trimEnd()));
          child.on("error", (error) => {
            this.log.error(`pip could not run: ${error.message}`);
            resolve(null);
          });
          child.on("close", (exit) => resolve(exit));
        }),
    );
    if (code === 0) {
      void vscode.window.showInformationMessage(`Homeostasis installed into ${python}.`);
      await this.restart("installed");
    } else {
      const choice = await vscode.window.showErrorMessage(
        `Installing ${spec} into ${python} failed (exit code ${code}); see the output for pip's message.`,
        "Show Output",
      );
      if (choice) this.log.show();
    }
  }

  private createClient(python: string, cwd: string | undefined): LanguageClient {
    const serverOptions: ServerOptions = {
      command: python,
      args: [...SERVER_ARGS],
      options: { cwd: cwd ?? os.homedir(), env: { ...process.env, PYTHONUNBUFFERED: "1" } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        ...LANGUAGES.flatMap((language) => [
          { scheme: "file", language },
          { scheme: "untitled", language },
        ]),
        ...PATTERNS.map((pattern) => ({ scheme: "file", pattern })),
      ],
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { [SECTION]: this.settingsFor() },
      middleware: {
        workspace: {
          // The server asks for section "homeostasis" per folder: answer with what the user set
          // (never the defaults) and with the workspace's trust, which only the editor knows.
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) return answers;
            return params.items.map((item, index) =>
              item.section === SECTION ? this.settingsFor(item.scopeUri) : answers[index],
            );
          },
        },
        executeCommand: async (command, args, next) => {
          if (command === "homeostasis.runTests" && !this.trusted) {
            void vscode.window.showWarningMessage("Homeostasis runs no test command in an untrusted workspace.");
            return undefined;
          }
          return next(command, args);
        },
      },
    };
    return new LanguageClient(SECTION, "Homeostasis", serverOptions, clientOptions);
  }

  // Runtime errors in the status bar ---------------------------------------------------------

  updateRuntimeCount(): void {
    const all = vscode.languages.getDiagnostics().map(([, list]) =>
      list.map((d) => ({ source: d.source, message: d.message, data: (d as { data?: unknown }).data })),
    );
    const count = countRuntime(all);
    if (count === this.runtimeErrors) return;
    this.runtimeErrors = count;
    void vscode.commands.executeCommand("setContext", "homeostasis.runtimeErrors", count > 0);
    this.setState(this.state);
  }

  // Commands ---------------------------------------------------------------------------------

  private async ready(): Promise<LanguageClient | undefined> {
    await this.lifecycle;
    if (this.client?.isRunning()) return this.client;
    const choice = await vscode.window.showWarningMessage(
      `Homeostasis: the server is not running${this.detail ? ` (${this.detail})` : ""}.`,
      "Restart Server",
      "Show Output",
    );
    if (choice === "Show Output") this.log.show();
    if (choice === "Restart Server") {
      await this.restart("asked");
      if (this.client?.isRunning()) return this.client;
    }
    return undefined;
  }

  private async serverCommand<T>(command: string, args: unknown[]): Promise<T | undefined> {
    const client = await this.ready();
    if (!client) return undefined;
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  }

  /** The error output to analyze: an argument, the selection, the clipboard or an input box. */
  private async tracebackText(arg: unknown): Promise<{ text: string; source: string } | undefined> {
    if (typeof arg === "string" && arg.trim()) return { text: arg, source: "paste" };
    if (arg && typeof arg === "object" && "text" in arg && typeof (arg as { text: unknown }).text === "string") {
      const given = arg as { text: string; source?: string };
      return { text: given.text, source: given.source ?? "paste" };
    }
    const editor = vscode.window.activeTextEditor;
    if (editor && !editor.selection.isEmpty) {
      const text = editor.selections.map((s) => editor.document.getText(s)).join("\n");
      return { text, source: `selection:${vscode.workspace.asRelativePath(editor.document.uri)}` };
    }
    const clipboard = await vscode.env.clipboard.readText();
    const picks: (vscode.QuickPickItem & { id: string })[] = [];
    if (clipboard.trim()) {
      const first = clipboard.trim().split(/\r?\n/).pop() ?? "";
      picks.push({
        id: "clipboard",
        label: "$(clippy) From the clipboard",
        description: looksLikeErrorOutput(clipboard) ? "looks like error output" : "",
        detail: first.slice(0, 120),
      });
    }
    picks.push({ id: "input", label: "$(edit) Type or paste", description: "error output, or the path of a log file" });
    const pick = picks.length === 1 ? picks[0] : await vscode.window.showQuickPick(picks, { title: "Analyze Traceback" });
    if (!pick) return undefined;
    if (pick.id === "clipboard") return { text: clipboard, source: "clipboard" };
    const value = await vscode.window.showInputBox({
      title: "Analyze Traceback",
      prompt: "Paste error output (a traceback, a stack trace, test output), or give the path of a file that holds it",
      ignoreFocusOut: true,
    });
    if (!value?.trim()) return undefined;
    const file = await this.asFile(value.trim());
    if (file) return { text: file.text, source: `file:${file.name}` };
    // An input box is one line: paste turns line breaks into spaces, typed "\n" stands for one.
    return { text: value.replace(/\\n/g, "\n"), source: "paste" };
  }

  private async asFile(value: string): Promise<{ text: string; name: string } | undefined> {
    if (value.includes("\n") || value.length > 4096) return undefined;
    const candidates = [value, ...this.folders().map((f) => vscode.Uri.joinPath(vscode.Uri.file(f), value).fsPath)];
    for (const candidate of candidates) {
      try {
        const uri = vscode.Uri.file(candidate);
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type & vscode.FileType.File) {
          const bytes = await vscode.workspace.fs.readFile(uri);
          return { text: new TextDecoder().decode(bytes), name: vscode.workspace.asRelativePath(uri) };
        }
      } catch {
        // not a file
      }
    }
    return undefined;
  }

  async analyze(text: string, source: string): Promise<void> {
    const result = await this.serverCommand<IngestResult>("homeostasis.ingest", [{ text, source }]);
    if (!result) return;
    this.log.info(`analyzed ${source}: ${result.errors} error(s) read, ${result.diagnostics} diagnostic(s) shown`);
    for (const problem of result.problems ?? []) this.log.warn(`  ${problem}`);
    if (result.errors === 0) {
      void vscode.window.showWarningMessage("Homeostasis: no error output found in that text.");
    } else if (result.diagnostics === 0) {
      void vscode.window
        .showWarningMessage(
          `Homeostasis read ${result.errors} error(s) but could not place them in this workspace${result.problems?.length ? `: ${result.problems[0]}` : "."}`,
          "Show Output",
        )
        .then((choice) => choice && this.log.show());
    } else {
      void vscode.window
        .showInformationMessage(
          `Homeostasis: ${count(result.errors, "error")} read, ${count(result.diagnostics, "runtime diagnostic")} shown.`,
          "Show Problems",
        )
        .then((choice) => choice && vscode.commands.executeCommand("workbench.actions.view.problems"));
    }
  }

  /** From the terminal's context menu: its selection, else its recent output. */
  async analyzeTerminal(): Promise<void> {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return this.analyzeTraceback();
    const selected = await copyTerminalText(terminal, true);
    const text = selected.trim() ? selected : this.recorder.recent(terminal);
    if (!text.trim()) {
      void vscode.window.showWarningMessage("Homeostasis: select the error output in the terminal first.");
      return;
    }
    await this.analyze(text, `terminal:${terminal.name}`);
  }

  async analyzeTraceback(arg?: unknown): Promise<void> {
    const input = await this.tracebackText(arg);
    if (input) await this.analyze(input.text, input.source);
  }

  async runTests(): Promise<void> {
    if (!this.trusted) {
      void vscode.window.showWarningMessage("Homeostasis runs no test command in an untrusted workspace.");
      return;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder =
      (active && vscode.workspace.getWorkspaceFolder(active)) ??
      ((vscode.workspace.workspaceFolders?.length ?? 0) > 1
        ? await vscode.window.showWorkspaceFolderPick({ placeHolder: "Run the tests of which folder?" })
        : vscode.workspace.workspaceFolders?.[0]);
    const args = folder ? [{ folder: folder.uri.toString() }] : [];
    let result: { status: string; exitCode: number | null; errors: number; diagnostics: number } | undefined;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: "Homeostasis: running tests" },
        () => this.serverCommand("homeostasis.runTests", args),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Homeostasis: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!result) return;
    const message = `Tests ${result.status} (exit code ${result.exitCode}): ${result.errors} failure(s) read, ${result.diagnostics} diagnostic(s) shown.`;
    this.log.info(message);
    void vscode.window.showInformationMessage(`Homeostasis: ${message}`);
  }

  async applyAllFixes(): Promise<void> {
    if (!(await this.ready())) return;
    const uris = new Map<string, vscode.Uri>();
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active) uris.set(active.toString(), active);
    for (const [uri, list] of vscode.languages.getDiagnostics()) {
      if (list.some((d) => d.source === SECTION)) uris.set(uri.toString(), uri);
    }
    const unsafe = this.clientSetting<boolean>("unsafeFixes", false);
    let files = 0;
    for (const uri of uris.values()) {
      // Runtime errors first (their fixes may span files), then the file's pattern findings.
      let fileChanged = await this.applyRuntimeFixes(uri, unsafe);
      const document = await vscode.workspace.openTextDocument(uri);
      const whole = new vscode.Range(0, 0, document.lineCount, 0);
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          "vscode.executeCodeActionProvider",
          uri,
          whole,
          FIX_ALL.value,
          50,
        )) ?? [];
      for (const action of actions) {
        if (!action.kind || !FIX_ALL.contains(action.kind)) continue;
        if (action.edit && action.edit.size > 0 && (await vscode.workspace.applyEdit(action.edit))) fileChanged = true;
        if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      }
      if (fileChanged) files += 1;
    }
    const what = unsafe ? "safe and unsafe" : "safe";
    void vscode.window.showInformationMessage(
      files
        ? `Homeostasis: applied the ${what} fixes in ${count(files, "file")} (not saved yet).`
        : `Homeostasis: no ${what} fixes to apply.`,
    );
  }

  /** One runtime diagnostic at a time: a fix changes the file, so the next one is asked for afresh. */
  private async applyRuntimeFixes(uri: vscode.Uri, unsafe: boolean): Promise<boolean> {
    const attempted = new Set<string>();
    let changed = false;
    for (let round = 0; round < 100; round++) {
      const next = vscode.languages
        .getDiagnostics(uri)
        .find((d) => isRuntimeDiagnostic(d) && !attempted.has(`${String(d.code)}|${d.message}`));
      if (!next) break;
      attempted.add(`${String(next.code)}|${next.message}`);
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          "vscode.executeCodeActionProvider",
          uri,
          next.range,
          vscode.CodeActionKind.QuickFix.value,
          20,
        )) ?? [];
      const chosen = chooseFix(
        actions.map((action) => ({
          action,
          title: action.title,
          isPreferred: action.isPreferred,
          diagnostics: action.diagnostics?.map((d) => d.message),
        })),
        next.message,
        unsafe,
      );
      if (chosen?.action.edit && (await vscode.workspace.applyEdit(chosen.action.edit))) {
        changed = true;
        this.log.info(`applied "${chosen.title}" in ${vscode.workspace.asRelativePath(uri)}`);
      }
    }
    return changed;
  }

  async clearRuntime(): Promise<void> {
    const result = await this.serverCommand<{ cleared: number }>("homeostasis.clearRuntime", []);
    if (result) this.log.info(`runtime diagnostics cleared in ${result.cleared} file(s)`);
  }

  async showRuleDocumentation(arg?: unknown): Promise<void> {
    let rule = typeof arg === "string" ? arg : undefined;
    if (!rule) {
      const editor = vscode.window.activeTextEditor;
      const ids = new Map<string, string>();
      const add = (d: vscode.Diagnostic, where: string): void => {
        const code = typeof d.code === "object" ? d.code.value : d.code;
        if (d.source === SECTION && code !== undefined && !ids.has(String(code))) ids.set(String(code), where);
      };
      if (editor) {
        for (const d of vscode.languages.getDiagnostics(editor.document.uri)) {
          add(d, d.range.contains(editor.selection.active) ? "at the cursor" : "in this file");
        }
      }
      for (const [, list] of vscode.languages.getDiagnostics()) for (const d of list) add(d, "in the workspace");
      const order = ["at the cursor", "in this file", "in the workspace"];
      const items = [...ids.entries()]
        .sort((a, b) => order.indexOf(a[1]) - order.indexOf(b[1]) || a[0].localeCompare(b[0]))
        .map(([id, where]) => ({ label: id, description: where }));
      if (items.length) {
        const typed = { label: "$(edit) Another rule id…", description: "" };
        const pick = await vscode.window.showQuickPick([...items, typed], { title: "Show Rule Documentation" });
        if (!pick) return;
        rule = pick === typed ? undefined : pick.label;
      }
      rule ??= await vscode.window.showInputBox({ title: "Show Rule Documentation", prompt: "Rule id, e.g. python.key-error.subscript" });
    }
    if (!rule?.trim()) return;
    try {
      await this.serverCommand<string>("homeostasis.showDocumentation", [rule.trim()]);
    } catch (error) {
      void vscode.window.showErrorMessage(`Homeostasis: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async statusMenu(): Promise<void> {
    const items: (vscode.QuickPickItem & { command: string })[] = [
      { label: "$(debug-alt) Analyze Traceback", command: "homeostasis.analyzeTraceback" },
      { label: "$(beaker) Run Tests and Analyze Failures", command: "homeostasis.runTestsAndAnalyze" },
      { label: "$(wand) Apply All Safe Fixes", command: "homeostasis.applyAllSafeFixes" },
      { label: "$(clear-all) Clear Runtime Diagnostics", command: "homeostasis.clearRuntimeDiagnostics" },
      { label: "$(book) Show Rule Documentation", command: "homeostasis.showRuleDocumentation" },
      { label: "$(debug-restart) Restart Server", command: "homeostasis.restartServer" },
      { label: "$(output) Show Output", command: "homeostasis.showOutput" },
    ];
    const detail = this.interpreter ? `${this.interpreter.python} (${this.interpreter.source})` : this.detail;
    const pick = await vscode.window.showQuickPick(
      items.filter((i) => this.trusted || i.command !== "homeostasis.runTestsAndAnalyze"),
      { title: `Homeostasis — ${detail}` },
    );
    if (pick) await vscode.commands.executeCommand(pick.command);
  }

  register(): void {
    const command = (id: string, handler: (...args: unknown[]) => unknown): void => {
      this.disposables.push(vscode.commands.registerCommand(id, handler));
    };
    command("homeostasis.analyzeTraceback", (arg) => this.analyzeTraceback(arg));
    command("homeostasis.analyzeTerminal", () => this.analyzeTerminal());
    command("homeostasis.runTestsAndAnalyze", () => this.runTests());
    command("homeostasis.applyAllSafeFixes", () => this.applyAllFixes());
    command("homeostasis.clearRuntimeDiagnostics", () => this.clearRuntime());
    command("homeostasis.showRuleDocumentation", (arg) => this.showRuleDocumentation(arg));
    command("homeostasis.restartServer", () => this.restart("asked"));
    command("homeostasis.showOutput", () => this.log.show());
    command("homeostasis.statusMenu", () => this.statusMenu());

    this.disposables.push(
      vscode.window.registerTerminalLinkProvider(new ErrorLinkProvider(this.recorder, (text, source) => this.analyze(text, source), this.log)),
      vscode.languages.onDidChangeDiagnostics(() => this.updateRuntimeCount()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (needsRestart((section) => event.affectsConfiguration(section))) {
          void this.restart("homeostasis.interpreter changed");
        }
        // The other settings reach the running server: it registered for didChangeConfiguration
        // and pulls them again (through the configuration middleware above).
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart("the workspace is now trusted")),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (!this.client) void this.restart("workspace folders changed");
      }),
    );
    void onInterpreterChange(() => {
      if (!this.clientSetting<string>("interpreter", "")) void this.restart("the Python extension's interpreter changed");
    }).then((d) => d && this.disposables.push(d));
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

let instance: Homeostasis | undefined;

export function activate(context: vscode.ExtensionContext): void {
  instance = new Homeostasis(context);
  instance.register();
  void instance.start(); // commands work (and wait for it) meanwhile
}

export async function deactivate(): Promise<void> {
  const current = instance;
  instance = undefined;
  await current?.dispose();
}
