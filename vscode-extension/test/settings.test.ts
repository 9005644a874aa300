import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CLIENT_KEYS,
  explicitValue,
  type Inspected,
  needsRestart,
  SERVER_KEYS,
  type ServerKey,
  serverSettings,
} from "../src/settings";

function inspector(values: Partial<Record<ServerKey, Inspected>>): (key: ServerKey) => Inspected | undefined {
  return (key) => values[key] ?? { defaultValue: "default" };
}

describe("serverSettings", () => {
  it("sends only what the user set, never the defaults, plus trust", () => {
    const settings = serverSettings(inspector({}), true);
    assert.deepEqual(settings, { trusted: true });
  });

  it("keeps the server's spelling of every key", () => {
    const all: Partial<Record<ServerKey, Inspected>> = {};
    for (const key of SERVER_KEYS) all[key] = { globalValue: `v-${key}` };
    const settings = serverSettings(inspector(all), true);
    assert.deepEqual(Object.keys(settings).sort(), [...SERVER_KEYS, "trusted"].sort());
    assert.equal(settings.confidenceThreshold, "v-confidenceThreshold");
    assert.equal(settings.pathRemaps, "v-pathRemaps");
  });

  it("takes the most specific level: folder over workspace over user", () => {
    const settings = serverSettings(
      inspector({
        confidenceThreshold: { defaultValue: 0, globalValue: 0.2, workspaceValue: 0.5, workspaceFolderValue: 0.7 },
        unsafeFixes: { defaultValue: false, globalValue: true, workspaceValue: false },
        severity: { defaultValue: {}, globalValue: { "python.*": "error" } },
      }),
      true,
    );
    assert.deepEqual(settings, {
      confidenceThreshold: 0.7,
      unsafeFixes: false,
      severity: { "python.*": "error" },
      trusted: true,
    });
  });

  it("mirrors rules, severities, threshold, unsafe fixes, error globs, remaps and the test command", () => {
    const settings = serverSettings(
      inspector({
        enable: { globalValue: ["python.*"] },
        disable: { workspaceValue: ["python.style.*"] },
        severity: { workspaceValue: { "python.compare.*": "error" } },
        confidenceThreshold: { workspaceValue: 0.5 },
        unsafeFixes: { workspaceValue: true },
        errorGlobs: { workspaceValue: ["logs/*.log"] },
        pathRemaps: { workspaceValue: { "/app": "." } },
        testCommand: { workspaceValue: "pytest -x" },
      }),
      true,
    );
    assert.deepEqual(settings, {
      enable: ["python.*"],
      disable: ["python.style.*"],
      severity: { "python.compare.*": "error" },
      confidenceThreshold: 0.5,
      unsafeFixes: true,
      errorGlobs: ["logs/*.log"],
      pathRemaps: { "/app": "." },
      testCommand: "pytest -x",
      trusted: true,
    });
  });

  it("treats an empty test command as the server's default", () => {
    assert.deepEqual(serverSettings(inspector({ testCommand: { globalValue: "" } }), true), { trusted: true });
    assert.deepEqual(serverSettings(inspector({ testCommand: { globalValue: [] } }), true), { trusted: true });
    assert.deepEqual(serverSettings(inspector({ testCommand: { globalValue: ["tox"] } }), true), {
      testCommand: ["tox"],
      trusted: true,
    });
  });

  it("passes no test command and no rule folders in an untrusted workspace", () => {
    const settings = serverSettings(
      inspector({
        testCommand: { globalValue: "pytest", workspaceValue: "evil" },
        rules: { globalValue: ["rules"], workspaceValue: ["evil-rules"] },
        disable: { workspaceValue: ["python.style.*"] },
      }),
      false,
    );
    assert.deepEqual(settings, { disable: ["python.style.*"], trusted: false });
  });

  it("never lets a settings file claim trust", () => {
    const values = { trusted: { workspaceValue: true } } as unknown as Partial<Record<ServerKey, Inspected>>;
    assert.equal(serverSettings(inspector(values), false).trusted, false);
  });
});

describe("explicitValue", () => {
  it("ignores workspace values of restricted keys when untrusted", () => {
    const inspected = { defaultValue: "", globalValue: "/usr/bin/python3", workspaceValue: "./evil" };
    assert.equal(explicitValue(inspected, true, false), "/usr/bin/python3");
    assert.equal(explicitValue(inspected, true, true), "./evil");
    assert.equal(explicitValue(inspected, false, false), "./evil");
    assert.equal(explicitValue(undefined, false, true), undefined);
    assert.equal(explicitValue({ defaultValue: 1 }, false, true), undefined);
  });
});

describe("needsRestart", () => {
  it("restarts for the interpreter only", () => {
    assert.equal(needsRestart((s) => s === "homeostasis.interpreter"), true);
    assert.equal(needsRestart((s) => s === "homeostasis.confidenceThreshold"), false);
  });
});

describe("package.json", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string }> } };
    capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
    contributes_commands?: unknown;
  };
  const properties = manifest.contributes.configuration.properties;

  it("declares every setting with a description and a default", () => {
    const declared = Object.keys(properties).map((k) => k.replace(/^homeostasis\./, ""));
    assert.deepEqual(declared.sort(), [...SERVER_KEYS, ...CLIENT_KEYS].sort());
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(property.markdownDescription, `${key} has a description`);
      assert.ok("default" in property, `${key} has a default`);
    }
  });

  it("declares limited support for untrusted workspaces", () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, "limited");
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes("homeostasis.interpreter"));
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes("homeostasis.testCommand"));
  });
});
