"""The API's JSON parser: DRF's, with a cap on how deeply a body may nest.

Python's json module recurses once per level of nesting, so a body of a thousand `[`
exhausts the interpreter's stack (a RecursionError, a 500) before any validation runs. No
request of this API nests more than two levels, so the parser counts the depth first and
refuses a deeper body with a 400 naming the limit. Counting is cheap: a body with fewer
brackets than the limit cannot be too deep, and is not scanned at all.
"""

from __future__ import annotations

import io
import re
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

MAX_JSON_DEPTH = 32

# A JSON string (skipped whole, so the brackets inside it do not count) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def _nesting_exceeds(text: str, limit: int) -> bool:
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for token in _STRING_OR_BRACKET.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        elif bracket in "]}":
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        raw = stream.read() if stream is not None else b""
        encoding = get_encoding(parser_context or {})
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(f"JSON parse error - not {encoding} text: {error.reason}.") from None
        if _nesting_exceeds(text, MAX_JSON_DEPTH):
            raise ParseError(
                f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels "
                "(arrays and objects within each other)."
            )
        return super().parse(io.BytesIO(raw), media_type, parser_context)
