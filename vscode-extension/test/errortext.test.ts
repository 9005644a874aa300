import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chooseFix,
  countRuntime,
  errorBlockAround,
  isRuntimeDiagnostic,
  looksLikeErrorOutput,
  statusView,
  stripAnsi,
  terminalLinkRanges,
} from "../src/errortext";

const TRACEBACK = [
  "total: 8",
  "Traceback (most recent call last):",
  '  File "/tmp/sample/app.py", line 15, in <module>',
  "    sys.exit(main())",
  "             ^^^^^^",
  '  File "/tmp/sample/app.py", line 11, in main',
  '    print("bananas:", inventory["bananas"])',
  "                      ~~~~~~~~~^^^^^^^^^^^",
  "KeyError: 'bananas'",
].join("\n");

describe("looksLikeErrorOutput", () => {
  it("knows a Python traceback, a Node stack and a Go panic", () => {
    assert.ok(looksLikeErrorOutput(TRACEBACK));
    assert.ok(looksLikeErrorOutput("TypeError: x is not a function\n    at main (/app/index.js:3:5)\n"));
    assert.ok(looksLikeErrorOutput("panic: runtime error: index out of range\n\ngoroutine 1 [running]:\n"));
  });

  it("does not take ordinary text for errors", () => {
    assert.equal(looksLikeErrorOutput("hello world\nnothing to see"), false);
    assert.equal(looksLikeErrorOutput(""), false);
  });
});

describe("terminalLinkRanges", () => {
  it("links the traceback header and the exception line", () => {
    assert.deepEqual(terminalLinkRanges("Traceback (most recent call last):"), [{ startIndex: 0, length: 34 }]);
    assert.deepEqual(terminalLinkRanges("KeyError: 'bananas'"), [{ startIndex: 0, length: 19 }]);
    assert.deepEqual(terminalLinkRanges("requests.exceptions.ConnectionError: refused"), [{ startIndex: 0, length: 44 }]);
    assert.deepEqual(terminalLinkRanges('Exception in thread "main" java.lang.NullPointerException'), [
      { startIndex: 0, length: 57 },
    ]);
  });

  it("leaves other lines alone", () => {
    assert.deepEqual(terminalLinkRanges("total: 8"), []);
    assert.deepEqual(terminalLinkRanges('  File "/tmp/app.py", line 3, in main'), []);
    assert.deepEqual(terminalLinkRanges("    raise KeyError('x')"), []);
    assert.deepEqual(terminalLinkRanges("error: something"), []);
  });
});

describe("errorBlockAround", () => {
  it("cuts the traceback out of a terminal's output", () => {
    const output = `$ python app.py\r\n${TRACEBACK.replace(/\n/g, "\r\n")}\r\n$ ls\r\napp.py\r\n`;
    const block = errorBlockAround(output, "KeyError: 'bananas'");
    assert.equal(block, TRACEBACK.split("\n").slice(1).join("\n") + "\n");
    assert.equal(errorBlockAround(output, "Traceback (most recent call last):"), block);
  });

  it("keeps chained exceptions together", () => {
    const chained = [
      "Traceback (most recent call last):",
      '  File "a.py", line 2, in <module>',
      "    d['x']",
      "KeyError: 'x'",
      "",
      "During handling of the above exception, another exception occurred:",
      "",
      "Traceback (most recent call last):",
      '  File "a.py", line 4, in <module>',
      "    raise ValueError('bad')",
      "ValueError: bad",
    ].join("\n");
    assert.equal(errorBlockAround(`noise\n${chained}\nmore\n`, "ValueError: bad"), chained + "\n");
  });

  it("strips colours and returns the tail when the line is not there", () => {
    assert.equal(stripAnsi("\u001b[31mKeyError\u001b[0m: 'x'"), "KeyError: 'x'");
    assert.equal(errorBlockAround("a\nb\n", "zzz"), "a\nb\n");
  });
});

describe("runtime diagnostics", () => {
  const runtime = { source: "homeostasis", message: "Key \"bananas\" is missing [seen 12:01:02 in paste]" };
  const pattern = { source: "homeostasis", message: "Comparison to None with ==" };

  it("tells runtime diagnostics from pattern ones", () => {
    assert.ok(isRuntimeDiagnostic(runtime));
    assert.ok(isRuntimeDiagnostic({ ...runtime, message: runtime.message + " (stale: this line changed since the error was seen)" }));
    assert.equal(isRuntimeDiagnostic(pattern), false);
    assert.equal(isRuntimeDiagnostic({ ...runtime, source: "pylint" }), false);
    assert.ok(isRuntimeDiagnostic({ ...pattern, data: { kind: "runtime" } }));
    assert.equal(isRuntimeDiagnostic({ ...runtime, data: { kind: "pattern" } }), false);
  });

  it("counts them across files", () => {
    assert.equal(countRuntime([[runtime, pattern], [runtime], []]), 2);
  });

  it("shows state and count in the status bar", () => {
    assert.match(statusView("running", 0).text, /Homeostasis$/);
    assert.equal(statusView("running", 3).text, "$(bug) Homeostasis: 3");
    assert.match(statusView("running", 1).tooltip, /1 runtime error shown/);
    assert.equal(statusView("missing", 0).error, true);
    assert.match(statusView("starting", 0).text, /sync~spin/);
  });
});

describe("chooseFix", () => {
  const message = "name 'json' is not defined [seen 10:00:00 in paste]";
  const safe = { title: "Add the missing import: import json", isPreferred: true, diagnostics: [message] };
  const unsafe = { title: "Rename .itmes to .items (unsafe)", diagnostics: [message] };
  const suggestion = { title: "Wrap in try/except (suggestion)", diagnostics: [message] };
  const docs = { title: "Show documentation for python.name-error.undefined-name", diagnostics: [message] };
  const other = { title: "Fix another one", isPreferred: true, diagnostics: ["another message"] };

  it("takes the preferred (safe) fix of that diagnostic", () => {
    assert.equal(chooseFix([docs, other, unsafe, safe], message, false), safe);
  });

  it("takes an unsafe fix only when unsafe fixes are allowed", () => {
    assert.equal(chooseFix([unsafe, suggestion, docs], message, false), undefined);
    assert.equal(chooseFix([suggestion, unsafe, docs], message, true), unsafe);
  });

  it("never takes suggestions, documentation or another diagnostic's fix", () => {
    assert.equal(chooseFix([suggestion, docs, other], message, true), undefined);
  });
});
