"""Segment's mapping-kit: action destination mappings compiled to Python closures.

A mapping is a JSON value whose objects with a single @-key are directives
(``{"@path": "$.properties.email"}``). ``compile_mapping`` validates a mapping and
compiles it once; ``CompiledMapping.apply`` maps each event. Results match
``transform(mapping, data)`` of ``@segment/actions-core`` 3.170.0, including
``MISSING`` for JavaScript ``undefined`` and JavaScript number formatting.
"""

from runtime.jsnumber import format_js_number
from runtime.mapping.compile import CompiledMapping, apply_mapping, compile_mapping
from runtime.mapping.jsjson import stringify_json, to_jsonable
from runtime.mapping.missing import MISSING, Missing
from runtime.mapping.validate import validate_mapping

__all__ = [
    "MISSING",
    "CompiledMapping",
    "Missing",
    "apply_mapping",
    "compile_mapping",
    "format_js_number",
    "stringify_json",
    "to_jsonable",
    "validate_mapping",
]
