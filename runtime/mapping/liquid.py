"""The @liquid directive, rendered with python-liquid in place of liquidjs.

mapping-kit renders ``{"@liquid": "..."}`` with liquidjs, disables some tags and
filters, and limits templates to 1000 characters. This module sets up a
python-liquid environment the same way and prints values as liquidjs does:
numbers with JavaScript's formatting (``100.0`` prints ``100``), objects as
``[object Object]``. Unknown filters are skipped, as liquidjs does by default.

NOTE: python-liquid follows Ruby Liquid where liquidjs differs from it, for
example integer division in ``divided_by`` (liquidjs: ``7 | divided_by: 2`` is
3.5). Only the templates covered by the tests are known to match.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TextIO

from liquid import Environment
from liquid.ast import Node
from liquid.builtin.output import Output, OutputNode
from liquid.context import RenderContext
from liquid.exceptions import FilterError, LiquidError, LiquidSyntaxError
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.template import BoundTemplate

from runtime.jsnumber import format_js_number
from runtime.mapping.jsvalues import utf16_length
from runtime.mapping.missing import MISSING
from runtime.mapping.nodes import Resolver, Site, constant, register_directive

MAX_TEMPLATE_LENGTH = 1000

# The tags and filters that mapping-kit disables in liquidjs.
DISABLED_TAGS = ("case", "for", "include", "layout", "render", "tablerow")
DISABLED_FILTERS = (
    "array_to_sentence_string",
    "concat",
    "find",
    "find_exp",
    "find_index",
    "find_index_exp",
    "group_by",
    "group_by_exp",
    "has",
    "has_exp",
    "map",
    "newline_to_br",
    "reject",
    "reject_exp",
    "reverse",
    "sort",
    "sort_natural",
    "uniq",
    "where_exp",
    "type",
)


def liquid_text(value: object) -> str:
    """Print a value as liquidjs prints an output statement."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_js_number(value)
    if value is None or value is MISSING:
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(liquid_text(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


class _JsOutputNode(OutputNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(liquid_text(self.expression.evaluate(context)))

    async def render_to_output_async(
        self, context: RenderContext, buffer: TextIO
    ) -> int:
        value = await self.expression.evaluate_async(context)
        return buffer.write(liquid_text(value))


class _JsOutput(Output):
    node_class = _JsOutputNode


def _disabled_tag(tag_name: str) -> type[Tag]:
    class DisabledTag(Tag):
        name = tag_name
        block = False

        def parse(self, stream: TokenStream) -> Node:
            raise LiquidSyntaxError(
                f'tag "{tag_name}" is disabled', token=stream.current
            )

    return DisabledTag


def _disabled_filter(filter_name: str) -> Callable[..., object]:
    def disabled(*_args: object, **_kwargs: object) -> object:
        raise FilterError(f'filter "{filter_name}" is disabled', token=None)

    return disabled


@functools.cache
def liquid_environment() -> Environment:
    """Return the shared environment with mapping-kit's tags and filters."""
    environment = Environment(strict_filters=False)
    environment.add_tag(_JsOutput)
    for tag_name in DISABLED_TAGS:
        environment.add_tag(_disabled_tag(tag_name))
    for filter_name in DISABLED_FILTERS:
        environment.filters[filter_name] = _disabled_filter(filter_name)
    return environment


@register_directive("@liquid")
def compile_liquid(options: object, site: Site) -> Resolver:
    """Compile ``{"@liquid": "..."}``: a Liquid template rendered against the payload.

    The template is parsed once here. A template that fails to parse fails each
    time the directive runs, as in mapping-kit, not when the mapping compiles.
    """
    if not isinstance(options, str):
        return site.failing_options("a template string", options)
    if not options:
        return constant("")
    if utf16_length(options) > MAX_TEMPLATE_LENGTH:
        return site.failing(
            f"the Liquid template is longer than {MAX_TEMPLATE_LENGTH} characters; "
            "shorten it"
        )
    try:
        template = liquid_environment().from_string(options)
    except LiquidError as error:
        return site.failing(f"the Liquid template is invalid: {error}")
    return functools.partial(_render, template, site)


def _render(template: BoundTemplate, site: Site, payload: object) -> object:
    scope = payload if isinstance(payload, dict) else {}
    try:
        return template.render(scope)
    except LiquidError as error:
        raise site.error(f"the Liquid template failed to render: {error}") from error
