import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  expandVariables,
  isFailure,
  parseProbe,
  pipInstallArgs,
  PROBE_ARGS,
  type ResolveInputs,
  resolveInterpreter,
  SERVER_ARGS,
  which,
} from "../src/interpreter";

function inputs(overrides: Partial<ResolveInputs>, executables: string[] = []): ResolveInputs {
  const files = new Set(executables);
  return {
    setting: "",
    workspaceFolders: ["/ws/project"],
    trusted: true,
    home: "/home/me",
    env: { PATH: "/usr/local/bin:/usr/bin", HOME: "/home/me" },
    isExecutable: (file) => files.has(file),
    platform: "linux",
    ...overrides,
  };
}

describe("expandVariables", () => {
  it("expands the variables VS Code users write in paths", () => {
    const vars = { workspaceFolder: "/ws/p", home: "/home/me", env: { VENV: "/opt/venv" } };
    assert.equal(expandVariables("${workspaceFolder}/.venv/bin/python", vars), "/ws/p/.venv/bin/python");
    assert.equal(expandVariables("~/py/bin/python3", vars), "/home/me/py/bin/python3");
    assert.equal(expandVariables("${userHome}/x", vars), "/home/me/x");
    assert.equal(expandVariables("${env:VENV}/bin/python", vars), "/opt/venv/bin/python");
    assert.equal(expandVariables("${env:MISSING}/bin/python", vars), "/bin/python");
  });

  it("leaves ${workspaceFolder} alone when there is no folder", () => {
    assert.equal(expandVariables("${workspaceFolder}/x", { home: "/h", env: {} }), "${workspaceFolder}/x");
  });
});

describe("which", () => {
  it("finds the first executable on PATH", () => {
    const found = which("python3", { PATH: "/a:/b:/c" }, (f) => f === "/b/python3" || f === "/c/python3", "linux");
    assert.equal(found, "/b/python3");
  });

  it("uses PATHEXT on Windows", () => {
    const found = which("python", { PATH: "C:\\Py;C:\\Other", PATHEXT: ".COM;.EXE" }, (f) => f === "C:\\Py\\python.EXE", "win32");
    assert.equal(found, "C:\\Py\\python.EXE");
  });

  it("returns undefined when nothing matches", () => {
    assert.equal(which("python3", { PATH: "" }, () => true, "linux"), undefined);
  });
});

describe("resolveInterpreter", () => {
  it("prefers the setting over the Python extension and PATH", async () => {
    const result = await resolveInterpreter(
      inputs({ setting: "/opt/py/bin/python", pythonExtension: async () => "/usr/bin/python3" }, [
        "/opt/py/bin/python",
        "/usr/bin/python3",
      ]),
    );
    assert.deepEqual(result, { python: "/opt/py/bin/python", source: "setting" });
  });

  it("resolves a relative setting against the first workspace folder", async () => {
    const result = await resolveInterpreter(inputs({ setting: ".venv/bin/python" }, ["/ws/project/.venv/bin/python"]));
    assert.deepEqual(result, { python: "/ws/project/.venv/bin/python", source: "setting" });
  });

  it("looks a bare command name up on PATH", async () => {
    const result = await resolveInterpreter(inputs({ setting: "python3.12" }, ["/usr/bin/python3.12"]));
    assert.deepEqual(result, { python: "/usr/bin/python3.12", source: "setting" });
  });

  it("reports a broken setting instead of falling back silently", async () => {
    const result = await resolveInterpreter(inputs({ setting: "/nope/python" }, ["/usr/bin/python3"]));
    assert.ok(isFailure(result));
    assert.equal(result.setting, true);
    assert.match(result.error, /\/nope\/python/);
  });

  it("uses the Python extension's environment when there is no setting", async () => {
    const result = await resolveInterpreter(
      inputs({ pythonExtension: async () => "/ws/project/.venv/bin/python" }, ["/ws/project/.venv/bin/python", "/usr/bin/python3"]),
    );
    assert.deepEqual(result, { python: "/ws/project/.venv/bin/python", source: "python-extension" });
  });

  it("falls back to PATH when the Python extension has nothing or fails", async () => {
    for (const pythonExtension of [async () => undefined, async () => Promise.reject(new Error("boom"))]) {
      const result = await resolveInterpreter(inputs({ pythonExtension }, ["/usr/bin/python3"]));
      assert.deepEqual(result, { python: "/usr/bin/python3", source: "path" });
    }
  });

  it("falls back to PATH when the Python extension is not installed", async () => {
    const result = await resolveInterpreter(inputs({}, ["/usr/local/bin/python3", "/usr/bin/python3"]));
    assert.deepEqual(result, { python: "/usr/local/bin/python3", source: "path" });
  });

  it("takes python when there is no python3", async () => {
    const result = await resolveInterpreter(inputs({}, ["/usr/bin/python"]));
    assert.deepEqual(result, { python: "/usr/bin/python", source: "path" });
  });

  it("says so when there is no Python at all", async () => {
    const result = await resolveInterpreter(inputs({}, []));
    assert.ok(isFailure(result));
    assert.equal(result.setting, false);
    assert.match(result.error, /homeostasis\.interpreter/);
  });

  it("never starts an interpreter inside an untrusted workspace", async () => {
    const venv = "/ws/project/.venv/bin/python";
    const fromSetting = await resolveInterpreter(inputs({ setting: venv, trusted: false }, [venv]));
    assert.ok(isFailure(fromSetting));
    assert.match(fromSetting.error, /not trusted/);
    const fromExtension = await resolveInterpreter(
      inputs({ trusted: false, pythonExtension: async () => venv }, [venv, "/usr/bin/python3"]),
    );
    assert.deepEqual(fromExtension, { python: "/usr/bin/python3", source: "path" });
    const onPath = await resolveInterpreter(inputs({ trusted: false, env: { PATH: "/ws/project/bin:/usr/bin" } }, ["/ws/project/bin/python3", "/usr/bin/python3"]));
    assert.deepEqual(onPath, { python: "/usr/bin/python3", source: "path" });
  });
});

describe("server command and probe", () => {
  it("starts the server as python -m homeostasis lsp", () => {
    assert.deepEqual([...SERVER_ARGS], ["-m", "homeostasis", "lsp"]);
  });

  it("probes with a python -c program", () => {
    assert.equal(PROBE_ARGS[0], "-c");
    assert.match(PROBE_ARGS[1] ?? "", /find_spec\('homeostasis\.lsp'\)/);
  });

  it("reads an installed server", () => {
    const probe = parseProbe('{"python": "3.11.7", "executable": "/p", "found": true, "version": "0.1.0"}\n', "", 0);
    assert.deepEqual(probe, { kind: "ok", pythonVersion: "3.11.7", version: "0.1.0" });
  });

  it("reads a missing server", () => {
    const probe = parseProbe('noise\n{"python": "3.12.1", "executable": "/p", "found": false, "version": null}\n', "", 0);
    assert.deepEqual(probe, { kind: "missing", pythonVersion: "3.12.1" });
  });

  it("rejects a Python older than 3.11", () => {
    const probe = parseProbe('{"python": "3.9.18", "found": false, "version": null}', "", 0);
    assert.deepEqual(probe, { kind: "too-old", pythonVersion: "3.9.18" });
  });

  it("reports an interpreter that does not run", () => {
    const probe = parseProbe("", "bash: /x/python: cannot execute binary file", 126);
    assert.equal(probe.kind, "broken");
    assert.match(probe.kind === "broken" ? probe.detail : "", /cannot execute/);
    assert.equal(parseProbe("not json {", "", 0).kind, "broken");
  });

  it("installs with the interpreter's own pip", () => {
    assert.deepEqual(pipInstallArgs("homeostasis"), ["-m", "pip", "install", "--upgrade", "homeostasis"]);
    assert.deepEqual(pipInstallArgs("  "), ["-m", "pip", "install", "--upgrade", "homeostasis"]);
    assert.deepEqual(pipInstallArgs("homeostasis==0.1.0"), ["-m", "pip", "install", "--upgrade", "homeostasis==0.1.0"]);
  });
});
