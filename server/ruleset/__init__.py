"""Rules as data: loading YAML rule files, schema and semantic checks, the rule set."""

from homeostasis.ruleset.loader import LoadResult, Problem, builtin_rule_paths, load_rules
from homeostasis.ruleset.ruleset import RuleSet

__all__ = ["LoadResult", "Problem", "RuleSet", "builtin_rule_paths", "load_rules"]
