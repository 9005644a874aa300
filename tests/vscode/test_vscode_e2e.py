"""The VS Code extension end to end, in a real VS Code (code-server) driven through Chromium.

A sample project is run for real to get a traceback; the test opens the project in code-server
with the freshly built ``build/vscode/homeostasis.vsix`` installed, runs *Homeostasis: Analyze
Traceback* on the traceback, waits for the diagnostic on the failing line, applies the quick fix
with Ctrl+., saves, and checks the file on disk. It leaves a screenshot in docs/vscode-e2e.png.

Needs the artifacts of ``bash vscode-extension/scripts/setup.sh`` (fails, not skips, without them).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Locator, Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.vscode import harness

SCREENSHOT = harness.ROOT / "docs" / "vscode-e2e.png"
INTERPRETER = harness.ROOT / ".venv" / "bin" / "python"
TEST_BUDGET_S = 170.0  # the whole test, code-server start included, stays under 3 minutes

APP = """\
import sys


def total(prices):
    if prices == None:
        return 0
    return sum(prices.values())


def main():
    inventory = {"apples": 3, "pears": 5}
    print("total:", total(inventory))
    for name, count in inventory.itmes():
        print(name, count)


if __name__ == "__main__":
    sys.exit(main())
"""
REPORT = """\
def main():
    stock = {"apples": 3}
    print(json.dumps(stock))


main()
"""
TEST_FILE = """\
def test_stock():
    stock = {"apples": 3}
    assert stock["pears"] == 1
"""
PATTERN_LINE = 5  # `prices == None`: a pattern diagnostic as soon as the file is open
FAILING_LINE = 13  # inventory.itmes(): where the AttributeError is raised
BROKEN = "for name, count in inventory.itmes():"
FIXED = "for name, count in inventory.items():"
FIX_TITLE = "Rename .itmes to .items"
RULE = "python.attribute-error.missing-attribute"


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self, cap: float) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the end-to-end test ran out of its time budget")
        return min(cap, left)


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.25) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    run = subprocess.run(
        [str(INTERPRETER), "app.py"], cwd=folder, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode != 0 and "AttributeError: 'dict' object has no attribute 'itmes'" in run.stderr, (
        run.stderr
    )
    (folder / "traceback.txt").write_text(run.stderr, encoding="utf-8")
    (folder / "report.py").write_text(REPORT, encoding="utf-8")
    (folder / "test_stock.py").write_text(TEST_FILE, encoding="utf-8")
    return folder


@pytest.fixture
def dirs(tmp_path: Path) -> Iterator[harness.Dirs]:
    missing = harness.missing_artifacts()
    if missing:
        pytest.fail(
            "the VS Code end-to-end test needs what the setup script installs; missing: "
            + ", ".join(missing)
            + f". Run: {harness.SETUP}",
            pytrace=False,
        )
    yield harness.Dirs.under(tmp_path / "vscode")


def extension_log(dirs: harness.Dirs) -> str:
    logs = sorted(dirs.user_data.glob("logs/**/*Homeostasis*.log"))
    return "\n".join(p.read_text(errors="replace")[-3000:] for p in logs) or "(no extension log)"


def loopback_only(route: Route) -> None:
    """The page may load from code-server only: no request leaves the machine."""
    host = urlparse(route.request.url).hostname
    if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def command(page: Page, title: str) -> None:
    page.keyboard.press("F1")
    box = page.locator(".quick-input-widget input")
    box.wait_for(state="visible", timeout=10_000)
    box.fill(">" + title)
    page.locator(".quick-input-list .monaco-list-row", has_text=title).first.wait_for(timeout=10_000)
    page.keyboard.press("Enter")


def open_file(page: Page, name: str) -> None:
    page.keyboard.press("Control+p")
    box = page.locator(".quick-input-widget input")
    box.wait_for(state="visible", timeout=10_000)
    box.fill(name)
    page.locator(".quick-input-list .monaco-list-row", has_text=name).first.click(timeout=10_000)
    page.locator(".tab.active", has_text=name).wait_for(timeout=10_000)


def go_to(page: Page, line: int, column: int) -> None:
    page.locator(".editor-group-container.active .monaco-editor .view-lines").click()
    page.keyboard.press("Control+g")
    page.locator(".quick-input-widget input").wait_for(state="visible", timeout=10_000)
    page.keyboard.type(f"{line}:{column}")
    page.keyboard.press("Enter")
    page.locator(".statusbar-item", has_text=f"Ln {line}, Col {column}").wait_for(timeout=10_000)


def quick_fix(page: Page, fix: Locator, deadline: Deadline) -> None:
    """Ctrl+. until the quick-fix menu shows ``fix`` (a key pressed while focus moves can be lost)."""
    for attempt in range(4):
        page.keyboard.press("Control+.")
        try:
            fix.first.wait_for(timeout=deadline.left(5) * 1000)
            return
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")


@contextlib.contextmanager
def workbench(
    dirs: harness.Dirs, project: Path, deadline: Deadline, interpreter: Path = INTERPRETER
) -> Iterator[Page]:
    """code-server with the built extension and ``project`` open, in Chromium; the extension active."""
    harness.install_extension(dirs, timeout=deadline.left(90))
    settings = harness.user_settings(interpreter)
    settings["terminal.integrated.gpuAcceleration"] = "off"  # terminal rows in the DOM, to click them
    harness.write_settings(dirs, settings)
    log = dirs.home / "code-server.log"
    with (
        harness.code_server(dirs, project, log, timeout=deadline.left(60)) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(harness.CHROMIUM), args=harness.CHROMIUM_ARGS, timeout=30_000
        )
        # Reading a terminal without shell integration copies its buffer through the
        # clipboard, which a browser only allows a page it was granted to.
        page = browser.new_page(
            viewport={"width": 1400, "height": 860}, permissions=["clipboard-read", "clipboard-write"]
        )
        page.route("**/*", loopback_only)
        page.set_default_timeout(20_000)
        try:
            page.goto(url, timeout=deadline.left(60) * 1000)
            page.locator(".monaco-workbench").wait_for(timeout=deadline.left(60) * 1000)
            page.locator(".statusbar-item", has_text="Homeostasis").first.wait_for(timeout=30_000)
            yield page
        except BaseException:
            page.screenshot(path=str(dirs.home / "failure.png"))
            print(f"screenshot of the failure: {dirs.home / 'failure.png'}", file=sys.stderr)
            print("code-server log:\n" + log.read_text(errors="replace")[-3000:], file=sys.stderr)
            print("extension log:\n" + extension_log(dirs), file=sys.stderr)
            raise
        finally:
            browser.close()


def running(page: Page, runtime_errors: int | None = None) -> Locator:
    label = "Homeostasis: running"
    if runtime_errors == 0:
        label += ", no runtime errors"
    elif runtime_errors is not None:
        label += f", {runtime_errors} runtime error"
    return page.locator(f'.statusbar-item[aria-label^="{label}"]')


def test_analyze_traceback_then_quick_fix(project: Path, dirs: harness.Dirs) -> None:
    deadline = Deadline(TEST_BUDGET_S)
    timings: dict[str, float] = {}
    with workbench(dirs, project, deadline) as page:
        # Opening a file: the server (started at activation) checks it at once.
        opened = time.monotonic()
        open_file(page, "app.py")
        running(page).wait_for(timeout=deadline.left(60) * 1000)
        page.locator(".squiggly-warning").first.wait_for(timeout=deadline.left(60) * 1000)
        timings["first diagnostic after opening app.py"] = time.monotonic() - opened

        # Analyze Traceback on the real traceback, selected in its editor.
        open_file(page, "traceback.txt")
        page.locator(".editor-group-container.active .monaco-editor .view-lines").click()
        page.keyboard.press("Control+a")
        analyzed = time.monotonic()
        command(page, "Homeostasis: Analyze Traceback")
        running(page, 1).wait_for(timeout=deadline.left(30) * 1000)

        # The runtime diagnostic is on the failing line of app.py.
        open_file(page, "app.py")
        page.locator(".squiggly-error").first.wait_for(timeout=deadline.left(30) * 1000)
        timings["runtime diagnostic after Analyze Traceback"] = time.monotonic() - analyzed
        command(page, "View: Focus Problems")
        problem = page.locator(".markers-panel .monaco-list-row", has_text="itmes")
        problem.first.wait_for(timeout=deadline.left(20) * 1000)
        row = problem.first.inner_text().replace("\n", " ")
        assert "AttributeError" in row and f"[Ln {FAILING_LINE}, Col" in row, row
        warning = page.locator(".markers-panel .monaco-list-row", has_text="None").first.inner_text()
        assert f"[Ln {PATTERN_LINE}, Col" in warning.replace("\n", " "), warning

        # Show Rule Documentation offers the rules of the file's diagnostics and opens the page.
        command(page, "Homeostasis: Show Rule Documentation")
        page.locator(".quick-input-list .monaco-list-row", has_text=RULE).first.click()
        page.locator(".tab.active", has_text=f"{RULE}.md").wait_for(timeout=deadline.left(20) * 1000)

        # Ctrl+. on the failing expression offers the fix; apply it and save.
        open_file(page, "app.py")
        command(page, "Notifications: Clear All Notifications")
        go_to(page, FAILING_LINE, 35)
        fix = page.locator(".action-widget .monaco-list-row", has_text=FIX_TITLE)
        quick_fix(page, fix, deadline)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        fix.first.click()
        page.locator(".view-line", has_text=FIXED).wait_for(timeout=deadline.left(20) * 1000)
        page.keyboard.press("Control+s")
        wait_until(
            lambda: FIXED in (project / "app.py").read_text(encoding="utf-8"),
            deadline.left(15),
            "the fixed app.py on disk",
        )

    fixed = (project / "app.py").read_text(encoding="utf-8")
    assert fixed == APP.replace(BROKEN, FIXED)
    # The fixed program runs past the failing line now.
    run = subprocess.run(
        [str(INTERPRETER), "app.py"], cwd=project, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0 and "apples 3" in run.stdout, run.stdout + run.stderr
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.2f} s")


def test_terminal_link_fix_all_run_tests_clear(project: Path, dirs: harness.Dirs) -> None:
    """A traceback printed in the integrated terminal is one Ctrl+click away from diagnostics, and
    Apply All Safe Fixes fixes it; Run Tests shows a test's failure; Clear Runtime Diagnostics
    removes them all."""
    deadline = Deadline(TEST_BUDGET_S)
    with workbench(dirs, project, deadline) as page:
        running(page).wait_for(timeout=deadline.left(60) * 1000)
        page.keyboard.press("Control+Backquote")
        page.locator(".terminal-wrapper.active .xterm-rows").wait_for(timeout=deadline.left(30) * 1000)
        prompt = page.locator(".terminal-wrapper.active .xterm-rows > div", has_text="#")
        prompt.first.wait_for(timeout=deadline.left(30) * 1000)
        page.keyboard.type(f"{INTERPRETER} report.py\n")
        line = page.locator(
            ".terminal-wrapper.active .xterm-rows > div", has_text="NameError: name 'json' is not defined"
        )
        line.first.wait_for(timeout=deadline.left(30) * 1000)
        box = line.first.bounding_box()
        assert box is not None
        x, y = box["x"] + 30, box["y"] + box["height"] / 2
        # Links are found when the pointer rests on a line; Ctrl+click opens one.
        for attempt in range(4):
            page.mouse.move(x, y)
            time.sleep(0.5)
            page.keyboard.down("Control")
            page.mouse.click(x, y)
            page.keyboard.up("Control")
            try:
                running(page, 1).wait_for(timeout=deadline.left(5) * 1000)
                break
            except PlaywrightTimeout:
                if attempt == 3:
                    raise
        running(page, 1).wait_for(timeout=deadline.left(30) * 1000)
        open_file(page, "report.py")
        page.locator(".squiggly-error").first.wait_for(timeout=deadline.left(30) * 1000)

        # The missing import is a safe fix: Apply All Safe Fixes adds it.
        command(page, "Homeostasis: Apply All Safe Fixes")
        page.locator(".view-line", has_text="import json").wait_for(timeout=deadline.left(20) * 1000)
        page.keyboard.press("Control+s")
        wait_until(
            lambda: (project / "report.py").read_text(encoding="utf-8").startswith("import json\n"),
            deadline.left(15),
            "report.py with the import on disk",
        )

        # Run Tests and Analyze Failures: pytest (the default command) fails in test_stock.py.
        command(page, "Homeostasis: Run Tests and Analyze Failures")
        open_file(page, "test_stock.py")
        page.locator(".squiggly-error").first.wait_for(timeout=deadline.left(60) * 1000)
        command(page, "View: Focus Problems")
        row = page.locator(".markers-panel .monaco-list-row", has_text="pears").first
        assert "[Ln 3, Col" in row.inner_text(timeout=deadline.left(20) * 1000).replace("\n", " ")

        # Clear Runtime Diagnostics: none left.
        command(page, "Homeostasis: Clear Runtime Diagnostics")
        running(page, 0).wait_for(timeout=deadline.left(30) * 1000)
        page.locator(".squiggly-error").first.wait_for(state="detached", timeout=deadline.left(30) * 1000)
    run = subprocess.run(
        [str(INTERPRETER), "report.py"], cwd=project, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0 and '{"apples": 3}' in run.stdout, run.stdout + run.stderr


def test_missing_server_is_reported_with_an_install_offer(
    project: Path, dirs: harness.Dirs, tmp_path: Path
) -> None:
    """An interpreter without Homeostasis: the extension says so and offers pip, not silence."""
    deadline = Deadline(TEST_BUDGET_S)
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=60)
    with workbench(dirs, project, deadline, interpreter=bare / "bin" / "python") as page:
        page.locator('.statusbar-item[aria-label^="Homeostasis is not installed"]').wait_for(
            timeout=deadline.left(60) * 1000
        )
        toast = page.locator(".notifications-toasts .notification-list-item", has_text="not installed")
        toast.first.wait_for(timeout=deadline.left(30) * 1000)
        text = toast.first.inner_text()
        assert str(bare / "bin" / "python") in text and "pip install" in text, text
        for button in ("Install", "Choose Interpreter", "Show Output"):
            assert toast.first.get_by_role("button", name=button).count() == 1, button
