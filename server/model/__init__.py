"""The domain's values. Everything here is immutable and free of I/O."""

from homeostasis.model.diagnosis import Diagnosis
from homeostasis.model.document import Document
from homeostasis.model.error_event import ChainedError, ChainRelation, ErrorEvent, Frame, Origin
from homeostasis.model.finding import Confidence, Finding, Reason, Related, Severity
from homeostasis.model.fix import Applicability, FileEdit, Fix, TextEdit
from homeostasis.model.framework import Declared, Framework, FrameworkCatalog
from homeostasis.model.rule import (
    Context,
    FixSpec,
    Level,
    NodeMatch,
    PatternMatch,
    Rule,
    RuleDocs,
    RuleKind,
    RuleTest,
    RuntimeMatch,
)
from homeostasis.model.settings import Settings
from homeostasis.model.span import Pos, Span

__all__ = [
    "Applicability",
    "ChainRelation",
    "ChainedError",
    "Confidence",
    "Context",
    "Declared",
    "Diagnosis",
    "Document",
    "ErrorEvent",
    "FileEdit",
    "Finding",
    "Fix",
    "FixSpec",
    "Frame",
    "Framework",
    "FrameworkCatalog",
    "Level",
    "NodeMatch",
    "Origin",
    "PatternMatch",
    "Pos",
    "Reason",
    "Related",
    "Rule",
    "RuleDocs",
    "RuleKind",
    "RuleTest",
    "RuntimeMatch",
    "Settings",
    "Severity",
    "Span",
    "TextEdit",
]
