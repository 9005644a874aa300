"""Python knowledge: did-you-mean suggestions, imports for missing names, pip distributions."""

from __future__ import annotations

import pytest
from homeostasis.languages.python.knowledge import enrich, pip_package
from homeostasis.model import Document


def doc(text: str) -> Document:
    return Document("app.py", text, "python")


# --- NameError -------------------------------------------------------------------------------


def test_name_error_suggests_a_bound_name() -> None:
    text = "def area(length, width):\n    return lenght * width\n"
    assert enrich("NameError", {"name": "lenght"}, doc(text)) == {"suggestion": "length"}


def test_name_error_suggests_a_builtin_without_document() -> None:
    assert enrich("NameError", {"name": "pirnt"}, None) == {"suggestion": "print"}
    assert enrich("NameError", {"name": "'pirnt'"}, None) == {"suggestion": "print"}


def test_name_error_far_from_anything() -> None:
    assert enrich("NameError", {"name": "zqxv"}, doc("alpha = 1\n")) == {}


def test_name_error_on_stdlib_module() -> None:
    assert enrich("NameError", {"name": "os"}, None) == {
        "import_module": "os",
        "import_statement": "import os",
    }
    assert enrich("NameError", {"name": "json"}, doc("print(json.dumps(1))\n"))["import_module"] == "json"


def test_name_error_on_ambiguous_module_needs_evidence() -> None:
    # "string" is as often a variable as the module: only ``string.x`` in the code says module.
    assert enrich("NameError", {"name": "string"}, doc("print(string)\n")) == {}
    result = enrich("NameError", {"name": "string"}, doc("print(string.ascii_letters)\n"))
    assert result["import_statement"] == "import string"


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("defaultdict", "collections"),
        ("dataclass", "dataclasses"),
        ("Path", "pathlib"),
        ("namedtuple", "collections"),
        ("Counter", "collections"),
        ("OrderedDict", "collections"),
        ("deque", "collections"),
        ("partial", "functools"),
        ("reduce", "functools"),
        ("wraps", "functools"),
        ("Optional", "typing"),
        ("List", "typing"),
        ("Dict", "typing"),
        ("Any", "typing"),
        ("Callable", "typing"),
        ("sleep", "time"),
        ("randint", "random"),
        ("choice", "random"),
        ("sqrt", "math"),
        ("pi", "math"),
        ("deepcopy", "copy"),
        ("dedent", "textwrap"),
        ("Enum", "enum"),
        ("ABC", "abc"),
        ("abstractmethod", "abc"),
        ("contextmanager", "contextlib"),
        ("Decimal", "decimal"),
        ("Fraction", "fractions"),
        ("uuid4", "uuid"),
        ("sha256", "hashlib"),
    ],
)
def test_name_error_on_stdlib_member(name: str, module: str) -> None:
    result = enrich("NameError", {"name": name}, None)
    assert result["import_module"] == module
    assert result["import_name"] == name
    assert result["import_statement"] == f"from {module} import {name}"


def test_module_or_member_follows_the_code() -> None:
    member = {"import_module": "datetime", "import_name": "datetime"}
    assert enrich("NameError", {"name": "datetime"}, doc("x = datetime.now()\n")).items() >= member.items()
    assert (
        enrich("NameError", {"name": "datetime"}, doc("x = datetime(2020, 1, 1)\n")).items() >= member.items()
    )
    module = enrich("NameError", {"name": "datetime"}, doc("x = datetime.datetime.now()\n"))
    assert module == {"import_module": "datetime", "import_statement": "import datetime"}
    assert enrich("NameError", {"name": "glob"}, None)["import_statement"] == "from glob import glob"
    assert enrich("NameError", {"name": "glob"}, doc("glob.glob('*')\n"))["import_statement"] == "import glob"
    assert enrich("NameError", {"name": "pprint"}, doc("pprint(x)\n"))["import_name"] == "pprint"


def test_member_used_like_a_variable_is_not_imported() -> None:
    # product.price cannot be itertools.product.
    assert enrich("NameError", {"name": "product"}, doc("print(product.price)\n")) == {}
    result = enrich("NameError", {"name": "environ"}, doc("environ.get('HOME')\n"))
    assert result["import_statement"] == "from os import environ"


def test_name_error_on_conventional_alias() -> None:
    result = enrich("NameError", {"name": "np"}, None)
    assert result == {
        "import_module": "numpy",
        "import_alias": "np",
        "import_statement": "import numpy as np",
    }


def test_name_error_with_both_suggestion_and_import() -> None:
    result = enrich("NameError", {"name": "Path"}, doc("path = 1\nPath('x')\n"))
    assert result["import_module"] == "pathlib"
    assert result["suggestion"] == "path"


def test_unbound_local_gets_nothing() -> None:
    assert enrich("UnboundLocalError", {"name": "os"}, None) == {}


def test_name_error_in_broken_code_falls_back() -> None:
    text = "def area(length, width):\n    return lenght * (width\n"
    assert enrich("NameError", {"name": "lenght"}, doc(text)) == {"suggestion": "length"}
    assert enrich("NameError", {"name": "totl"}, doc("total = 1\nprint(totl\n")) == {"suggestion": "total"}


# --- AttributeError --------------------------------------------------------------------------


def test_attribute_error_on_class_in_document() -> None:
    text = (
        "class Base:\n    kind = 'b'\n\n"
        "class User(Base):\n    def __init__(self, name):\n        self.name = name\n\n"
        "    def greet(self):\n        return self.nmae\n"
    )
    assert enrich("AttributeError", {"obj_type": "User", "attr": "nmae"}, doc(text)) == {"suggestion": "name"}
    assert enrich("AttributeError", {"obj_type": "'User'", "attr": "knd"}, doc(text)) == {
        "suggestion": "kind"
    }
    assert enrich("AttributeError", {"obj_type": "User", "attr": "gret"}, doc(text)) == {
        "suggestion": "greet"
    }


def test_attribute_error_from_uses_on_same_receiver() -> None:
    text = "print(cfg.timeout)\nprint(cfg.timout)\n"
    captures = {"obj_type": "Config", "attr": "timout", "obj": "cfg"}
    assert enrich("AttributeError", captures, doc(text)) == {"suggestion": "timeout"}


def test_attribute_error_on_builtin_type() -> None:
    assert enrich("AttributeError", {"obj_type": "list", "attr": "apend"}, None) == {"suggestion": "append"}
    assert enrich("AttributeError", {"obj_type": "str", "name": "uper"}, None) == {"suggestion": "upper"}


def test_attribute_error_on_module() -> None:
    assert enrich("AttributeError", {"module": "os", "attr": "getcwdd"}, None) == {"suggestion": "getcwd"}
    text = "import mylib\nmylib.connect()\nmylib.conect()\n"
    assert enrich("AttributeError", {"module": "mylib", "attr": "conect"}, doc(text)) == {
        "suggestion": "connect"
    }


def test_attribute_error_on_none_gets_nothing() -> None:
    text = "x.name = 1\n"
    assert enrich("AttributeError", {"obj_type": "NoneType", "attr": "nmae"}, doc(text)) == {}


# --- ImportError / ModuleNotFoundError -------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "package"),
    [
        ("cv2", "opencv-python"),
        ("PIL", "Pillow"),
        ("PIL.Image", "Pillow"),
        ("yaml", "PyYAML"),
        ("sklearn.linear_model", "scikit-learn"),
        ("bs4", "beautifulsoup4"),
        ("dateutil.parser", "python-dateutil"),
        ("dotenv", "python-dotenv"),
        ("jwt", "PyJWT"),
        ("magic", "python-magic"),
        ("serial", "pyserial"),
        ("Crypto.Cipher", "pycryptodome"),
        ("google.protobuf.message", "protobuf"),
        ("attr", "attrs"),
        ("docx", "python-docx"),
        ("psycopg2", "psycopg2-binary"),
        ("requests", "requests"),
        ("flask.views", "flask"),
    ],
)
def test_module_not_found_pip_package(module: str, package: str) -> None:
    assert enrich("ModuleNotFoundError", {"module": module}, None) == {"pip_package": package}
    assert pip_package(module) == package


def test_module_not_found_stdlib_or_relative_has_no_package() -> None:
    assert enrich("ModuleNotFoundError", {"module": "tkinter"}, None) == {}
    assert enrich("ModuleNotFoundError", {"module": ".sibling"}, None) == {}
    assert pip_package("tkinter") is None
    assert pip_package("distutils") == "setuptools"


def test_module_typo_suggests_instead_of_pip() -> None:
    # No "pip install jsonn": typo'd names are what typosquatters register.
    assert enrich("ModuleNotFoundError", {"name": "jsonn"}, None) == {"suggestion": "json"}
    assert enrich("ModuleNotFoundError", {"module": "colections.abc"}, None) == {
        "suggestion": "collections.abc"
    }
    text = "import mycompany_tools\n"
    assert enrich("ModuleNotFoundError", {"module": "mycompany_tool"}, doc(text)) == {
        "suggestion": "mycompany_tools"
    }


def test_import_error_cannot_import_name() -> None:
    result = enrich("ImportError", {"name": "Mapping", "module": "collections"}, None)
    assert result["import_module"] == "collections.abc"
    assert result["import_statement"] == "from collections.abc import Mapping"
    assert enrich("ImportError", {"name": "dumpz", "module": "json"}, None) == {"suggestion": "dump"}
    result = enrich("ImportError", {"name": "defaultdict", "module": "typing"}, None)
    assert result["import_module"] == "collections"


def test_import_error_without_name_is_a_missing_module() -> None:
    assert enrich("ImportError", {"module": "yaml"}, None) == {"pip_package": "PyYAML"}


# --- other errors ----------------------------------------------------------------------------


def test_key_error_suggests_a_key_from_the_code() -> None:
    text = "user = {'name': 'a', 'email': 'b'}\nprint(user['nmae'])\nuser.get('age')\n"
    assert enrich("KeyError", {"key": "'nmae'"}, doc(text)) == {"suggestion": "name"}
    assert enrich("KeyError", {"key": "'ag'"}, doc(text)) == {"suggestion": "age"}
    assert enrich("KeyError", {"key": "'zzz'"}, doc(text)) == {}
    assert enrich("KeyError", {"key": "'nmae'"}, None) == {}


def test_unexpected_keyword_suggests_a_parameter() -> None:
    text = "class Greeter:\n    def greet(self, name, loud=False):\n        pass\n"
    captures = {"function": "Greeter.greet", "keyword": "nmae"}
    assert enrich("TypeError", captures, doc(text)) == {"suggestion": "name"}
    assert enrich("TypeError", {"function": "greet()", "keyword": "lod"}, doc(text)) == {"suggestion": "loud"}


def test_unknown_errors_and_odd_captures() -> None:
    assert enrich("ZeroDivisionError", {}, doc("1/0\n")) == {}
    assert enrich("NameError", {}, None) == {}
    assert enrich("NameError", {"name": "not an identifier"}, None) == {}
    assert enrich("AttributeError", {"attr": ""}, None) == {}
    assert enrich("ModuleNotFoundError", {"module": "a b"}, None) == {}
    assert enrich("builtins.NameError", {"name": "pirnt"}, None) == {"suggestion": "print"}
    for text in ("\x00", "def (:\n", "(" * 500, ""):
        enrich("NameError", {"name": "x"}, doc(text))
        enrich("AttributeError", {"obj_type": "X", "attr": "y"}, doc(text))
