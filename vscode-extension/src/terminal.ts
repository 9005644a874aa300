// Tracebacks printed in the integrated terminal: a link on them runs Analyze Traceback.
import * as vscode from "vscode";
import { errorBlockAround, stripAnsi, terminalLinkRanges } from "./errortext";

const KEEP_CHARS = 512 * 1024;

/** The recent output of each terminal, read through shell integration when the shell has it. */
export class TerminalRecorder implements vscode.Disposable {
  private readonly output = new Map<vscode.Terminal, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const onStart = vscode.window.onDidStartTerminalShellExecution;
    if (onStart) {
      this.disposables.push(onStart((event) => void this.record(event.terminal, event.execution)));
    }
    this.disposables.push(vscode.window.onDidCloseTerminal((terminal) => this.output.delete(terminal)));
  }

  private async record(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    try {
      for await (const chunk of execution.read()) {
        const text = (this.output.get(terminal) ?? "") + chunk;
        this.output.set(terminal, text.length > KEEP_CHARS ? text.slice(text.length - KEEP_CHARS) : text);
      }
    } catch {
      // The terminal went away while we read it.
    }
  }

  recent(terminal: vscode.Terminal): string {
    return this.output.get(terminal) ?? "";
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.output.clear();
  }
}

/** The terminal's text through its own select-all and copy, the clipboard restored afterwards. */
export async function copyTerminalText(terminal: vscode.Terminal, selectionOnly: boolean): Promise<string> {
  const saved = await vscode.env.clipboard.readText();
  try {
    terminal.show(true);
    if (!selectionOnly) await vscode.commands.executeCommand("workbench.action.terminal.selectAll");
    await vscode.env.clipboard.writeText("");
    await vscode.commands.executeCommand("workbench.action.terminal.copySelection");
    if (!selectionOnly) await vscode.commands.executeCommand("workbench.action.terminal.clearSelection");
    return await vscode.env.clipboard.readText();
  } finally {
    await vscode.env.clipboard.writeText(saved);
  }
}

interface ErrorLink extends vscode.TerminalLink {
  terminal: vscode.Terminal;
  line: string;
}

export class ErrorLinkProvider implements vscode.TerminalLinkProvider<ErrorLink> {
  constructor(
    private readonly recorder: TerminalRecorder,
    private readonly analyze: (text: string, source: string) => Promise<void>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  provideTerminalLinks(context: vscode.TerminalLinkContext): ErrorLink[] {
    if (!vscode.workspace.getConfiguration("homeostasis").get<boolean>("terminalLinks", true)) return [];
    return terminalLinkRanges(context.line).map((range) => ({
      startIndex: range.startIndex,
      length: range.length,
      tooltip: "Analyze this error with Homeostasis",
      terminal: context.terminal,
      line: context.line,
    }));
  }

  async handleTerminalLink(link: ErrorLink): Promise<void> {
    let output = this.recorder.recent(link.terminal);
    if (stripAnsi(output).includes(stripAnsi(link.line).trimEnd())) {
      this.log.info(`terminal link: output of ${link.terminal.name} read through shell integration`);
    } else {
      output = await copyTerminalText(link.terminal, false); // no shell integration: read the buffer
      this.log.info(`terminal link: ${output.length} characters copied from ${link.terminal.name}`);
    }
    await this.analyze(errorBlockAround(output || link.line, link.line), `terminal:${link.terminal.name}`);
  }
}
