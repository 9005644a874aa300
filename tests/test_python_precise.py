"""The Python precise fixer on real documents: every operation, multi-file signatures, bad input."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

import pytest
from homeostasis.languages.python.precise import (
    PythonPreciseFixer,
    defined_names_at,
    find_definition,
)
from homeostasis.model import Document, FileEdit, Pos, Span, TextEdit

FIXER = PythonPreciseFixer()


class Sources:
    """Workspace files held in memory."""

    def __init__(self, files: Mapping[str, str] | None = None) -> None:
        self.files = dict(files or {})

    def get(self, path: str) -> Document | None:
        text = self.files.get(path)
        return None if text is None else Document(path, text, "python")


class BrokenSources:
    def get(self, path: str) -> Document | None:
        raise OSError("disk on fire")


def apply(text: str, edits: tuple[TextEdit, ...]) -> str:
    doc = Document("x.py", text, "python")
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        start, end = doc.offset(edit.span.start), doc.offset(edit.span.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def span_of(text: str, needle: str, occurrence: int = 0) -> Span:
    """The span of the ``occurrence``-th ``needle`` in ``text`` (code-point columns)."""
    doc = Document("x.py", text, "python")
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return Span(doc.pos_at(index), doc.pos_at(index + len(needle)))


def run(
    operation: str,
    params: dict[str, str],
    text: str,
    span: Span,
    files: Mapping[str, str] | None = None,
    path: str = "main.py",
) -> dict[str, str] | None:
    """Apply the fix and return the new text of every touched file (None when no fix)."""
    workspace = {**(files or {}), path: text}
    document = Document(path, text, "python")
    result = FIXER.fix(operation, params, document, span, Sources(workspace))
    if result is None:
        return None
    out: dict[str, str] = {}
    for file_edit in result:
        assert isinstance(file_edit, FileEdit)
        new_text = apply(workspace[file_edit.path], file_edit.edits)
        # Every output must be valid Python (a decoded file keeps its BOM; compile() does not want it).
        compile(new_text.removeprefix("\ufeff"), file_edit.path, "exec")
        out[file_edit.path] = new_text
    return out


def fixed(operation: str, params: dict[str, str], text: str, span: Span, path: str = "main.py") -> str:
    result = run(operation, params, text, span, path=path)
    assert result is not None, f"{operation} gave no fix"
    assert list(result) == [path]
    new_text = result[path]
    # Idempotence: the same operation on the fixed text has nothing left to do.
    again = run(operation, params, new_text, span, path=path)
    assert again is None or again[path] == new_text
    return new_text


def test_operations_are_listed() -> None:
    assert FIXER.operations() == frozenset(
        {
            "add_import",
            "rename_name",
            "rename_attribute",
            "remove_keyword_argument",
            "rename_keyword_argument",
            "add_parameter_to_definition",
            "add_default_to_parameter",
            "add_missing_argument",
        }
    )


def test_module_import_does_not_load_libcst() -> None:
    code = (
        "import sys\n"
        "import homeostasis.languages.python.precise\n"
        "import homeostasis.languages.python.knowledge as k\n"
        "from homeostasis.model import Document\n"
        "k.enrich('NameError', {'name': 'lenght'}, Document('a.py', 'length = 1\\n', 'python'))\n"
        "assert 'libcst' not in sys.modules, 'libcst imported eagerly'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- add_import ------------------------------------------------------------------------------


def test_add_import_after_existing_imports() -> None:
    text = '"""Doc."""\nimport sys\n\nprint(os.getcwd())\n'
    new = fixed("add_import", {"module": "os"}, text, span_of(text, "os"))
    assert new == '"""Doc."""\nimport sys\nimport os\n\nprint(os.getcwd())\n'


def test_add_import_edit_is_a_pure_insertion() -> None:
    text = "import sys\n\nx = os\n"
    document = Document("main.py", text, "python")
    result = FIXER.fix("add_import", {"module": "os"}, document, span_of(text, "os"), Sources())
    assert result is not None
    (edit,) = result[0].edits
    assert edit.span == Span(Pos(1, 0), Pos(1, 0))
    assert edit.new_text == "import os\n"
    assert result[0].base_hash  # computed against this text


def test_add_import_from_name_after_docstring() -> None:
    text = '"""Doc."""\ndef f():\n    return defaultdict(list)\n'
    params = {"module": "collections", "name": "defaultdict"}
    new = fixed("add_import", params, text, span_of(text, "defaultdict"))
    assert (
        new == '"""Doc."""\n\nfrom collections import defaultdict\n\ndef f():\n    return defaultdict(list)\n'
    )


def test_add_import_with_alias_and_header_comments() -> None:
    text = "#!/usr/bin/env python\n# tool\n\nx = np.zeros(3)\n"
    new = fixed("add_import", {"module": "numpy", "alias": "np"}, text, span_of(text, "np"))
    assert new == "#!/usr/bin/env python\n# tool\n\nimport numpy as np\n\nx = np.zeros(3)\n"


def test_add_import_after_future_imports() -> None:
    text = "from __future__ import annotations\nimport os\n\nx: Path = Path()\n"
    new = fixed("add_import", {"module": "pathlib", "name": "Path"}, text, span_of(text, "Path"))
    assert new.splitlines()[:3] == [
        "from __future__ import annotations",
        "import os",
        "from pathlib import Path",
    ]


def test_add_future_import_goes_first() -> None:
    text = '"""Doc."""\nimport os\n'
    new = fixed("add_import", {"module": "__future__", "name": "annotations"}, text, span_of(text, "os"))
    assert new.index("from __future__") < new.index("import os")


def test_add_import_skips_names_already_bound() -> None:
    for text in (
        "import os\nx = os\n",
        "from os import path as os\nx = os\n",
        "def os():\n    pass\nx = os\n",
        "try:\n    import os\nexcept ImportError:\n    os = None\nx = os\n",
    ):
        assert run("add_import", {"module": "os"}, text, span_of(text, "x")) is None, text


def test_add_import_ignores_function_local_bindings() -> None:
    text = "def f():\n    import os\n    return os\n\ndef g():\n    return os\n"
    new = fixed("add_import", {"module": "os"}, text, span_of(text, "os", 2))
    assert new.startswith("import os\n\ndef f():")


def test_add_import_may_shadow_a_builtin() -> None:
    text = "import sys\nx = open\n"
    new = fixed("add_import", {"module": "io", "name": "open"}, text, span_of(text, "open"))
    assert "from io import open\n" in new


def test_add_import_keeps_crlf() -> None:
    text = '"""Doc."""\r\nimport sys\r\n\r\nprint(json.dumps(1))\r\n'
    new = fixed("add_import", {"module": "json"}, text, span_of(text, "json"))
    assert new == '"""Doc."""\r\nimport sys\r\nimport json\r\n\r\nprint(json.dumps(1))\r\n'
    text = "x = json\r\n"
    new = fixed("add_import", {"module": "json"}, text, span_of(text, "json"))
    assert new == "import json\r\n\r\nx = json\r\n"


def test_add_import_keeps_byte_order_mark() -> None:
    text = "\ufeffx = os\n"
    new = fixed("add_import", {"module": "os"}, text, span_of(text, "os"))
    assert new == "\ufeffimport os\n\nx = os\n"


def test_add_import_rejects_bad_params() -> None:
    text = "x = os\n"
    for params in ({"module": ""}, {"module": "os path"}, {"module": "os", "name": "a-b"}, {"module": ".x"}):
        assert run("add_import", params, text, span_of(text, "os")) is None, params


def test_add_relative_import() -> None:
    text = "x = util.f()\n"
    new = fixed("add_import", {"module": ".", "name": "util"}, text, span_of(text, "util"))
    assert new == "from . import util\n\nx = util.f()\n"


# --- rename_name -----------------------------------------------------------------------------


def test_rename_name_to_a_parameter() -> None:
    text = "def area(length, width):\n    return lenght * width\n"
    new = fixed("rename_name", {"old": "lenght", "new": "length"}, text, span_of(text, "lenght"))
    assert new == "def area(length, width):\n    return length * width\n"


def test_rename_name_to_a_builtin() -> None:
    text = 'prnt("hi")\n'
    assert (
        fixed("rename_name", {"old": "prnt", "new": "print"}, text, span_of(text, "prnt")) == 'print("hi")\n'
    )


def test_rename_name_only_the_occurrence_in_span() -> None:
    text = "total = 0\nprint(totl)\nprint(totl)\n"
    new = fixed("rename_name", {"old": "totl", "new": "total"}, text, span_of(text, "totl", 1))
    assert new == "total = 0\nprint(totl)\nprint(total)\n"


def test_rename_name_refuses_undefined_target() -> None:
    text = "def f(length):\n    return lenght\n"
    assert run("rename_name", {"old": "lenght", "new": "size"}, text, span_of(text, "lenght")) is None


def test_rename_name_refuses_target_bound_later_in_same_scope() -> None:
    text = "print(totl)\ntotal = 1\n"
    assert run("rename_name", {"old": "totl", "new": "total"}, text, span_of(text, "totl")) is None


def test_rename_name_accepts_global_bound_after_function() -> None:
    text = "def show():\n    print(cnfig)\n\nconfig = {}\n"
    new = fixed("rename_name", {"old": "cnfig", "new": "config"}, text, span_of(text, "cnfig"))
    assert "print(config)" in new


def test_rename_name_class_body_is_invisible_in_methods() -> None:
    text = "class K:\n    limit = 3\n    def m(self):\n        return limt\n"
    assert run("rename_name", {"old": "limt", "new": "limit"}, text, span_of(text, "limt")) is None


def test_rename_name_with_non_ascii_columns() -> None:
    text = 'name = 1\ns = "é€"; print(nme)\n'
    new = fixed("rename_name", {"old": "nme", "new": "name"}, text, span_of(text, "nme"))
    assert new == 'name = 1\ns = "é€"; print(name)\n'


def test_rename_name_outside_span_is_not_touched() -> None:
    text = "name = 1\nprint(nme)\n"
    assert run("rename_name", {"old": "nme", "new": "name"}, text, Span.of(0, 0, 0, 4)) is None


# --- rename_attribute ------------------------------------------------------------------------


def test_rename_attribute() -> None:
    text = "print(user.nmae)\nprint(user.nmae)\n"
    new = fixed("rename_attribute", {"old": "nmae", "new": "name"}, text, span_of(text, "user.nmae", 1))
    assert new == "print(user.nmae)\nprint(user.name)\n"


def test_rename_attribute_on_call_result() -> None:
    text = "value = get_user().nmae\n"
    new = fixed("rename_attribute", {"old": "nmae", "new": "name"}, text, span_of(text, "get_user().nmae"))
    assert new == "value = get_user().name\n"


def test_rename_attribute_not_a_variable() -> None:
    text = "nmae = 1\nprint(nmae)\n"
    assert run("rename_attribute", {"old": "nmae", "new": "name"}, text, span_of(text, "nmae", 1)) is None


# --- keyword arguments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("f(1, x=2)\n", "f(1)\n"),
        ("f(x=2, y=3)\n", "f(y=3)\n"),
        ("f(a, x=2, y=3)\n", "f(a, y=3)\n"),
        ("f(x=2)\n", "f()\n"),
        ("f(\n    a,\n    x=3,\n)\n", "f(\n    a,\n)\n"),
        ("f(\n    a,\n    x=3\n)\n", "f(\n    a\n)\n"),
        ("f(\n    x=3,\n)\n", "f()\n"),
        ("f(\n    a,\n    x=3,  # why\n    b=4,\n)\n", "f(\n    a,\n    b=4,\n)\n"),
    ],
)
def test_remove_keyword_argument(text: str, expected: str) -> None:
    assert (
        fixed("remove_keyword_argument", {"keyword": "x"}, text, Span.of(0, 0, text.count("\n"), 0))
        == expected
    )


def test_remove_keyword_argument_picks_the_named_call() -> None:
    text = "outer(inner(x=1), x=2)\n"
    span = span_of(text, text.strip())
    new = fixed("remove_keyword_argument", {"keyword": "x", "function": "inner"}, text, span)
    assert new == "outer(inner(), x=2)\n"
    new = fixed("remove_keyword_argument", {"keyword": "x", "function": "outer"}, text, span)
    assert new == "outer(inner(x=1))\n"


def test_remove_keyword_argument_absent() -> None:
    text = "f(1, **{'x': 2})\n"
    assert run("remove_keyword_argument", {"keyword": "x"}, text, span_of(text, text.strip())) is None


def test_rename_keyword_argument() -> None:
    text = "greet('a', nmae='b')\n"
    new = fixed(
        "rename_keyword_argument", {"keyword": "nmae", "new": "name"}, text, span_of(text, text.strip())
    )
    assert new == "greet('a', name='b')\n"


def test_rename_keyword_argument_would_repeat() -> None:
    text = "greet(nmae='b', name='c')\n"
    params = {"keyword": "nmae", "new": "name"}
    assert run("rename_keyword_argument", params, text, span_of(text, text.strip())) is None


def test_add_missing_argument() -> None:
    text = "greet()\n"
    params = {"function": "greet", "parameter": "name"}
    assert fixed("add_missing_argument", params, text, span_of(text, "greet()")) == "greet(name=None)\n"
    text = "greet('a')\n"
    assert (
        fixed("add_missing_argument", params, text, span_of(text, "greet('a')")) == "greet('a', name=None)\n"
    )


def test_add_missing_argument_multiline_keeps_layout() -> None:
    params = {"function": "greet", "parameter": "name"}
    text = "greet(\n    a,\n)\n"
    assert (
        fixed("add_missing_argument", params, text, Span.of(0, 0, 2, 1))
        == "greet(\n    a,\n    name=None,\n)\n"
    )
    text = "greet(\n    a,\n    b\n)\n"
    assert (
        fixed("add_missing_argument", params, text, Span.of(0, 0, 3, 1))
        == "greet(\n    a,\n    b,\n    name=None\n)\n"
    )


def test_add_missing_argument_on_method_and_constructor() -> None:
    text = "print(Greeter().greet())\n"
    params = {"function": "Greeter.greet", "parameter": "name"}
    assert fixed("add_missing_argument", params, text, span_of(text, text.strip())) == (
        "print(Greeter().greet(name=None))\n"
    )
    text = "p = Point(1)\n"
    params = {"function": "Point.__init__", "parameter": "y", "default": "0"}
    assert fixed("add_missing_argument", params, text, span_of(text, "Point(1)")) == "p = Point(1, y=0)\n"


def test_add_missing_argument_already_passed_or_ambiguous() -> None:
    text = "greet(name=1)\n"
    params = {"function": "greet", "parameter": "name"}
    assert run("add_missing_argument", params, text, span_of(text, text.strip())) is None
    text = "a(b())\n"  # neither call is greet: do not guess
    assert run("add_missing_argument", params, text, span_of(text, text.strip())) is None


# --- signatures in the same document ---------------------------------------------------------


def test_add_parameter_to_module_function() -> None:
    text = "def greet(name):\n    return name\n\ngreet('a', loud=True)\n"
    params = {"function": "greet", "parameter": "loud", "default": "False"}
    new = fixed("add_parameter_to_definition", params, text, span_of(text, "greet('a', loud=True)"))
    assert new.startswith("def greet(name, loud=False):\n")


def test_add_parameter_to_method_called_on_self() -> None:
    text = (
        "def greet():\n    pass\n\n"
        "class Greeter:\n    def greet(self, name):\n        return name\n\n"
        "    def run(self):\n        return self.greet('a', loud=True)\n"
    )
    params = {"function": "Greeter.greet", "parameter": "loud"}
    new = fixed("add_parameter_to_definition", params, text, span_of(text, "self.greet('a', loud=True)"))
    assert "    def greet(self, name, loud=None):\n" in new
    assert "def greet():\n" in new


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("def f(a, *args):", "def f(a, *args, extra=None):"),
        ("def f(a, *, b):", "def f(a, *, b, extra=None):"),
        ("def f(a, /, b):", "def f(a, /, b, extra=None):"),
        ("def f():", "def f(extra=None):"),
        ("def f(a: int = 1) -> int:", "def f(a: int = 1, extra=None) -> int:"),
        ("def f(\n    a,\n    b,\n):", "def f(\n    a,\n    b,\n    extra=None,\n):"),
        ("def f(\n    a,\n    *args,\n):", "def f(\n    a,\n    *args,\n    extra=None,\n):"),
    ],
)
def test_add_parameter_shapes(signature: str, expected: str) -> None:
    text = f"{signature}\n    return 1\n\nf(extra=1)\n"
    new = fixed(
        "add_parameter_to_definition",
        {"function": "f", "parameter": "extra"},
        text,
        span_of(text, "f(extra=1)"),
    )
    assert new == f"{expected}\n    return 1\n\nf(extra=1)\n"


def test_add_parameter_refuses_kwargs_and_duplicates() -> None:
    for signature in ("def f(a, **kwargs):", "def f(a, extra):", "def f(*, extra=1):"):
        text = f"{signature}\n    pass\n\nf(extra=1)\n"
        params = {"function": "f", "parameter": "extra"}
        assert run("add_parameter_to_definition", params, text, span_of(text, "f(extra=1)")) is None, (
            signature
        )


def test_add_default_to_parameter() -> None:
    text = "class Greeter:\n    def greet(self, x, y=1):\n        pass\n\nGreeter().greet()\n"
    params = {"function": "Greeter.greet", "parameter": "x"}
    new = fixed("add_default_to_parameter", params, text, span_of(text, "Greeter().greet()"))
    assert "    def greet(self, x=None, y=1):\n" in new


def test_add_default_to_annotated_and_keyword_only_parameters() -> None:
    text = "def f(a, *, b: int, c):\n    pass\n\nf(1)\n"
    span = span_of(text, "f(1)")
    new = fixed("add_default_to_parameter", {"function": "f", "parameter": "b", "default": "0"}, text, span)
    assert new.startswith("def f(a, *, b: int = 0, c):")


def test_add_default_to_parameter_refusals() -> None:
    cases = [
        ("def f(x, y):\n    pass\nf()\n", "x"),  # y would follow a default without one
        ("def f(x=1):\n    pass\nf()\n", "x"),  # already has one
        ("def f(*x):\n    pass\nf()\n", "x"),
        ("def f(a):\n    pass\nf()\n", "missing"),
    ]
    for text, parameter in cases:
        params = {"function": "f", "parameter": parameter}
        assert run("add_default_to_parameter", params, text, span_of(text, "f()")) is None, text


# --- signatures across files -----------------------------------------------------------------

UTIL = "def greet(name):\n    return f'hi {name}'\n"
UTIL_FIXED = "def greet(name, loud=None):\n    return f'hi {name}'\n"
LOUD = {"function": "greet", "parameter": "loud"}


@pytest.mark.parametrize(
    ("main", "files"),
    [
        ("from util import greet\n\ngreet('a', loud=True)\n", {"app/util.py": UTIL}),
        ("from app.util import greet\n\ngreet('a', loud=True)\n", {"app/util.py": UTIL}),
        ("from .util import greet\n\ngreet('a', loud=True)\n", {"app/util.py": UTIL}),
        ("from app.util import greet as hello\n\nhello('a', loud=True)\n", {"app/util.py": UTIL}),
        ("import app.util\n\napp.util.greet('a', loud=True)\n", {"app/util.py": UTIL}),
        ("from app import util\n\nutil.greet('a', loud=True)\n", {"app/util.py": UTIL}),
        ("import util as u\n\nu.greet('a', loud=True)\n", {"app/util.py": UTIL}),
        ("from util import *\n\ngreet('a', loud=True)\n", {"app/util.py": UTIL}),
    ],
)
def test_add_parameter_in_imported_module(main: str, files: dict[str, str]) -> None:
    call = main.strip().splitlines()[-1]
    result = run("add_parameter_to_definition", LOUD, main, span_of(main, call), files, path="app/main.py")
    assert result == {"app/util.py": UTIL_FIXED}
    files = {**files, "app/util.py": UTIL_FIXED}
    assert (
        run("add_parameter_to_definition", LOUD, main, span_of(main, call), files, path="app/main.py") is None
    )


def test_add_parameter_through_package_reexport() -> None:
    main = "from pkg import greet\ngreet('a', loud=True)\n"
    files = {"pkg/__init__.py": "from .impl import greet\n", "pkg/impl.py": UTIL}
    result = run("add_parameter_to_definition", LOUD, main, span_of(main, "greet('a', loud=True)"), files)
    assert result == {"pkg/impl.py": UTIL_FIXED}


def test_add_parameter_to_imported_constructor() -> None:
    main = "from .models import Point\np = Point(1, z=2)\n"
    models = "class Point:\n    def __init__(self, x):\n        self.x = x\n"
    params = {"function": "Point.__init__", "parameter": "z"}
    result = run(
        "add_parameter_to_definition",
        params,
        main,
        span_of(main, "Point(1, z=2)"),
        {"app/models.py": models},
        "app/main.py",
    )
    assert result == {"app/models.py": models.replace("(self, x)", "(self, x, z=None)")}


def test_add_default_in_imported_module_keeps_crlf() -> None:
    util = "def greet(name, loud):\r\n    return name\r\n"
    main = "from util import greet\r\ngreet()\r\n"
    params = {"function": "greet", "parameter": "loud", "default": "False"}
    result = run("add_default_to_parameter", params, main, span_of(main, "greet()"), {"util.py": util})
    assert result == {"util.py": "def greet(name, loud=False):\r\n    return name\r\n"}
    params = {"function": "greet", "parameter": "name"}
    assert run("add_default_to_parameter", params, main, span_of(main, "greet()"), {"util.py": util}) is None


def test_definition_outside_workspace() -> None:
    main = "import requests\nrequests.get('u', tiemout=1)\n"
    params = {"function": "get", "parameter": "tiemout"}
    assert (
        run("add_parameter_to_definition", params, main, span_of(main, "requests.get('u', tiemout=1)"))
        is None
    )


def test_imported_callee_beats_local_namesake() -> None:
    main = "import util\n\ndef greet(x):\n    pass\n\nutil.greet('a', loud=True)\n"
    result = run(
        "add_parameter_to_definition",
        LOUD,
        main,
        span_of(main, "util.greet('a', loud=True)"),
        {"util.py": UTIL},
    )
    assert result == {"util.py": UTIL_FIXED}


def test_find_definition_local_and_imported() -> None:
    text = "@decorate\ndef f(a):\n    pass\n\nf(b=1)\n"
    doc = Document("m.py", text, "python")
    found = find_definition(doc, span_of(text, "f(b=1)"), "f", Sources())
    assert found is not None
    assert found[0] is doc
    assert found[1] == Span(Pos(1, 0), Pos(2, 8))

    main = "from app.util import greet\ngreet(1)\n"
    doc = Document("/ws/app/main.py", main, "python")
    found = find_definition(doc, span_of(main, "greet(1)"), "greet", Sources({"/ws/app/util.py": UTIL}))
    assert found is not None
    assert found[0].path == "/ws/app/util.py"
    assert found[1].start == Pos(0, 0)

    assert find_definition(doc, span_of(main, "greet(1)"), "greet", Sources()) is None
    assert find_definition(doc, span_of(main, "greet(1)"), "greet", BrokenSources()) is None


# --- scope helper ----------------------------------------------------------------------------


def test_defined_names_at() -> None:
    text = "import os\nLIMIT = 1\n\nclass K:\n    z = 1\n\n    def m(self, q):\n        r = q\n"
    text += "        return r\n"
    doc = Document("m.py", text, "python")
    names = defined_names_at(doc, span_of(text, "return r").start)
    assert {"os", "LIMIT", "K", "self", "q", "r", "len", "print"} <= names
    assert "z" not in names
    at_module = defined_names_at(doc, Pos(1, 0))
    assert {"os", "LIMIT", "K"} <= at_module
    assert "q" not in at_module
    assert "len" in defined_names_at(Document("m.py", "def (:\n", "python"), Pos(0, 0))


# --- bad input -------------------------------------------------------------------------------

ALL_CASES = [
    ("add_import", {"module": "os"}),
    ("rename_name", {"old": "a", "new": "b"}),
    ("rename_attribute", {"old": "a", "new": "b"}),
    ("remove_keyword_argument", {"keyword": "a"}),
    ("rename_keyword_argument", {"keyword": "a", "new": "b"}),
    ("add_parameter_to_definition", {"function": "f", "parameter": "a"}),
    ("add_default_to_parameter", {"function": "f", "parameter": "a"}),
    ("add_missing_argument", {"function": "f", "parameter": "a"}),
]


@pytest.mark.parametrize(("operation", "params"), ALL_CASES)
def test_syntax_errors_give_none(operation: str, params: dict[str, str]) -> None:
    for text in ("def f(:\n    x.a(a=1)\n", "f(a=1\n", "\x00", "x = (\n"):
        doc = Document("m.py", text, "python")
        assert FIXER.fix(operation, params, doc, Span.of(0, 0, 1, 0), Sources()) is None


@pytest.mark.parametrize(("operation", "params"), ALL_CASES)
def test_missing_params_give_none(operation: str, params: dict[str, str]) -> None:
    text = "def f(a):\n    return x.a(a=1)\n"
    doc = Document("m.py", text, "python")
    assert FIXER.fix(operation, {}, doc, Span.of(0, 0, 2, 0), Sources()) is None


@pytest.mark.parametrize(("operation", "params"), ALL_CASES[1:5] + ALL_CASES[7:])
def test_spans_elsewhere_give_none(operation: str, params: dict[str, str]) -> None:
    # add_import and the signature edits fall back to names; call-site edits must stay in the span.
    text = "def f(b):\n    return x.a(a=1)\n\n\nprint(1)\n"
    doc = Document("m.py", text, "python")
    assert FIXER.fix(operation, params, doc, Span.of(4, 0, 4, 8), BrokenSources()) is None


def test_unknown_operation() -> None:
    doc = Document("m.py", "x = 1\n", "python")
    assert FIXER.fix("wrap_in_try_except", {}, doc, Span.of(0, 0, 0, 5), Sources()) is None
