"""Catastrophic backtracking: a heuristic over the parsed regex, tuned for few false alarms.

It looks for an unbounded repeat whose body can match the same text in more than one
way, which makes a failing search exponential: ``(a+)+``, ``(\\w+\\d+)*``, ``(a|a)*``,
``(.*,)*``. Polynomial cases (``.*.*``) are left alone: error messages are short.
The regex is parsed by the standard library's own parser, so the shapes are exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

# Representative characters: ASCII, and a few non-ASCII letters, digits and spaces.
_UNIVERSE = frozenset(chr(c) for c in range(9, 127)) | frozenset("é中\u00a0\u2028٣")
_UNBOUNDED = 20  # a repeat allowing more than this many iterations counts as unbounded


def backtracking_risks(pattern: str) -> list[str]:
    """Reasons ``pattern`` may backtrack catastrophically (empty when it looks safe)."""
    try:
        import re._parser as sre  # the stdlib's own regex parser: exact, no reimplementation

        parsed = list(sre.parse(pattern))
    except Exception:  # an invalid regex is reported by the loader
        return []
    risks: list[str] = []
    _walk(parsed, risks)
    return sorted(set(risks))


def _walk(items: Sequence[Any], risks: list[str]) -> None:
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            _low, high, body = arg
            if high > _UNBOUNDED and _ambiguous(list(body)):
                kind = "overlapping alternatives" if _branchy(list(body)) else "a nested quantifier"
                risks.append(
                    f"{kind} inside an unbounded repeat: the repeated part can match the same text "
                    "in several ways, so a failing match takes exponential time"
                )
            _walk(body, risks)
        elif name == "SUBPATTERN":
            _walk(arg[3], risks)
        elif name == "BRANCH":
            for alternative in arg[1]:
                _walk(alternative, risks)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _walk(arg[1], risks)
        # POSSESSIVE_REPEAT and ATOMIC_GROUP never backtrack into their bodies.


def _branchy(body: list[Any]) -> bool:
    return any(str(op) == "BRANCH" and _overlapping(arg[1]) for op, arg in _flatten(body))


def _ambiguous(body: list[Any]) -> bool:
    body = _flatten(body)
    mandatory = [item for item in body if _width(item)[0] > 0]
    common = frozenset(_UNIVERSE)
    for item in mandatory:
        common &= _chars(item)
    # One character that every mandatory part accepts, and a part of variable length that
    # accepts it too: then c*n splits into iterations in exponentially many ways.
    if common and any(_variable(i) and _chars(i) & common for i in body):
        return True
    return _branchy(body)


def _variable(item: Any) -> bool:
    # Atomic groups and possessive repeats take one length and never give any back.
    low, high = _width(item)
    return low != high and str(item[0]) not in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT")


def _flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for op, arg in items:
        if str(op) == "SUBPATTERN":
            out.extend(_flatten(list(arg[3])))
        else:
            out.append((op, arg))
    return out


def _overlapping(alternatives: list[Any]) -> bool:
    shapes = [_flatten(list(a)) for a in alternatives]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            if not a and not b:
                return True
            if (
                len(a) == 1 == len(b)
                and _width(a[0]) == (1, 1) == _width(b[0])
                and _chars(a[0]) & _chars(b[0])
            ):
                return True
    return False


def _width(item: Any) -> tuple[int, float]:
    op, arg = item
    name = str(op)
    if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN", "CATEGORY"):
        return 1, 1
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = arg
        inner = _seq_width(list(body))
        return low * inner[0], (float("inf") if high > _UNBOUNDED else high * inner[1])
    if name == "SUBPATTERN":
        return _seq_width(list(arg[3]))
    if name == "ATOMIC_GROUP":
        return _seq_width(list(arg))
    if name == "BRANCH":
        widths = [_seq_width(list(a)) for a in arg[1]]
        return min(w[0] for w in widths), max(w[1] for w in widths)
    return 0, 0  # anchors, lookarounds, back references (approximate)


def _seq_width(items: list[Any]) -> tuple[int, float]:
    widths = [_width(i) for i in items]
    return sum(w[0] for w in widths), sum(w[1] for w in widths)


def _chars(item: Any) -> frozenset[str]:
    """The characters ``item`` can consume anywhere (an over-approximation)."""
    op, arg = item
    name = str(op)
    if name == "LITERAL":
        return frozenset(chr(arg))
    if name == "NOT_LITERAL":
        return _UNIVERSE - {chr(arg)}
    if name == "ANY":
        return _UNIVERSE
    if name == "IN":
        return _class_chars(list(arg))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _seq_chars(list(arg[2]))
    if name == "SUBPATTERN":
        return _seq_chars(list(arg[3]))
    if name == "ATOMIC_GROUP":
        return _seq_chars(list(arg))
    if name == "BRANCH":
        return frozenset().union(*(_seq_chars(list(a)) for a in arg[1]))
    return frozenset()


def _seq_chars(items: list[Any]) -> frozenset[str]:
    return frozenset().union(*(_chars(i) for i in items)) if items else frozenset()


_CATEGORIES: dict[str, Callable[[str], bool]] = {
    "CATEGORY_DIGIT": str.isdecimal,
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
}


def _class_chars(members: list[Any]) -> frozenset[str]:
    negate = bool(members) and str(members[0][0]) == "NEGATE"
    chosen: set[str] = set()
    for op, arg in members[1:] if negate else members:
        name = str(op)
        if name == "LITERAL":
            chosen.add(chr(arg))
        elif name == "RANGE":
            chosen |= {c for c in _UNIVERSE if arg[0] <= ord(c) <= arg[1]}
        elif name == "CATEGORY":
            category = str(arg)
            test = _CATEGORIES.get(category.replace("_NOT", ""))
            if test is not None:
                chosen |= {c for c in _UNIVERSE if test(c) != ("_NOT_" in category)}
    return _UNIVERSE - chosen if negate else frozenset(chosen)
