"""Edits at a call site or an attribute access: keyword arguments and attribute names."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from homeostasis.languages.python.precise_support import (
    callee_name,
    callee_targets,
    insert_item,
    is_identifier,
    nodes_of,
    param,
    parse_expression,
    positions,
    rank,
    ranked_calls,
    remove_item,
    replace_node,
    tight_equal,
    to_span,
)
from homeostasis.model import Span
from libcst.metadata import MetadataWrapper


def rename_attribute(wrapper: MetadataWrapper, span: Span, params: Mapping[str, str]) -> str | None:
    old, new = param(params, "old"), param(params, "new")
    if not is_identifier(old) or not is_identifier(new) or old == new:
        return None
    ranges = positions(wrapper)
    # Ranked by the attribute name itself, so a span covering just ".old" or "old" finds it.
    candidates = [
        (node, to_span(ranges[node.attr]))
        for node, _ in nodes_of(wrapper, cst.Attribute)
        if node.attr.value == old and node.attr in ranges
    ]
    for node in rank(candidates, span):
        return replace_node(wrapper, node.attr, node.attr.with_changes(value=new))
    return None


def _keyword_index(call: cst.Call, keyword: str) -> int | None:
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            return index
    return None


def _call_with(
    wrapper: MetadataWrapper, span: Span, params: Mapping[str, str], keyword: str
) -> cst.Call | None:
    """The call at ``span`` that passes ``keyword``."""
    for call in ranked_calls(wrapper, span, param(params, "function")):
        if _keyword_index(call, keyword) is not None:
            return call
    return None


def remove_keyword_argument(wrapper: MetadataWrapper, span: Span, params: Mapping[str, str]) -> str | None:
    keyword = param(params, "keyword")
    if not is_identifier(keyword):
        return None
    call = _call_with(wrapper, span, params, keyword)
    if call is None:
        return None
    index = _keyword_index(call, keyword)
    assert index is not None
    args = remove_item(call.args, index)
    changes: dict[str, object] = {"args": args}
    if not args:
        # f(\n    x=1,\n) must not become f(\n    ): the opening whitespace goes too.
        changes["whitespace_before_args"] = cst.SimpleWhitespace("")
    return replace_node(wrapper, call, call.with_changes(**changes))


def rename_keyword_argument(wrapper: MetadataWrapper, span: Span, params: Mapping[str, str]) -> str | None:
    keyword, new = param(params, "keyword"), param(params, "new")
    if not is_identifier(keyword) or not is_identifier(new) or keyword == new:
        return None
    call = _call_with(wrapper, span, params, keyword)
    if call is None or _keyword_index(call, new) is not None:
        return None  # passing ``new`` twice is a SyntaxError
    index = _keyword_index(call, keyword)
    assert index is not None
    arg = call.args[index]
    assert arg.keyword is not None
    return replace_node(wrapper, arg.keyword, arg.keyword.with_changes(value=new))


def add_missing_argument(wrapper: MetadataWrapper, span: Span, params: Mapping[str, str]) -> str | None:
    name = param(params, "parameter")
    value = parse_expression(param(params, "default", "None"))
    if not is_identifier(name) or value is None:
        return None
    function = param(params, "function")
    targets = callee_targets(function)
    # A call whose callee is not a plain name (handlers[0]()) may be the one; a named other one is not.
    calls = [
        c for c in ranked_calls(wrapper, span, function) if not targets or callee_name(c) in (*targets, None)
    ]
    if not calls:
        return None
    call = calls[0]
    if _keyword_index(call, name) is not None:
        return None
    new_arg = cst.Arg(value=value, keyword=cst.Name(name), equal=tight_equal())
    args = insert_item(call.args, len(call.args), new_arg, call.whitespace_before_args)
    return replace_node(wrapper, call, call.with_changes(args=args))
