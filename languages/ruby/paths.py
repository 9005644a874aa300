"""Which printed Ruby frame paths are library code: gems, the standard library, Bundler."""

from __future__ import annotations

import re
from functools import cache

# Path fragments of code that is never the project's own.
LIBRARY_MARKERS: tuple[str, ...] = (
    "/gems/",
    "/.gem/",
    "/rubygems/",
    "/lib/ruby/",
    "/site_ruby/",
    "/vendor_ruby/",
    "/vendor/bundle/",
    "/bundler/",
    "/.bundle/",
    "/.rbenv/",
    "/.rvm/",
    "/.rubies/",
    "/.asdf/installs/ruby/",
    "/GEM_ROOT/",
    "/BUNDLE_PATH/",
    "<internal:",
)
# Code without a file to open: `ruby -e`, irb, eval'd strings, ERB compiled in memory.
_NO_FILE = ("-e", "(irb)", "(eval)", "(erb)", "(pry)", "-")


def is_library(path: str) -> bool:
    normalized = path.replace("\\", "/")
    if normalized in _NO_FILE or normalized.startswith(("(eval", "(irb", "<internal:", "<")):
        return True
    if any(marker in normalized for marker in LIBRARY_MARKERS):
        return True
    return _stdlib_re().search(normalized) is not None


@cache
def _stdlib_re() -> re.Pattern[str]:
    # `/usr/local/lib/ruby/3.3.0/json/common.rb`, `C:/Ruby33-x64/lib/ruby/3.3.0/...`. Compiled on
    # first use, not at import: the plugin imports this module (for LIBRARY_MARKERS) at every start-up.
    return re.compile(r"/ruby/\d+\.\d+\.\d+/")
