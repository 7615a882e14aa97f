"""A serializer for xsdata dataclass bindings that writes the same bytes as xsdata's XmlSerializer, ~20x faster.

xsdata's generic serializer walks every field of every binding through several generator layers (~2,400 calls
per NF-e, 3.2 ms) although most of an NF-e's hundreds of optional fields are None. Here each binding class is
turned once into a plan read from xsdata's own metadata (`XmlContext.build`: tag names, order, namespaces, all
from the bindings generated from the official XSD; nothing is written by hand), and an instance is written by
visiting only the fields that hold a value. Escaping and empty elements follow xsdata's default lxml writer.

Only what the NF-e bindings use is reproduced: elements, unqualified attributes, simple text content, lists and
nested namespaces such as xmldsig's. Anything else (choices, wildcards, nillable, xsi:type, xs:list, QName values)
raises `UnsupportedBinding` before any output is returned, and the caller falls back to xsdata.
"""

import re
from dataclasses import dataclass, is_dataclass
from enum import Enum
from functools import lru_cache
from xml.etree.ElementTree import QName

from xsdata.formats.converter import converter
from xsdata.formats.dataclass.context import XmlContext
from xsdata.utils.namespaces import generate_prefix, split_qname

CONTEXT = XmlContext()

# lxml refuses these with a ValueError: they are not XML characters.
_INVALID = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_INVALID_CHAR = re.compile(f"[{_INVALID}]")
_LXML_MESSAGE = "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
# libxml2 escapes `>` too, and `\r` as a reference; in attributes also `"` and the three blanks (not `'`).
_TEXT_SPECIAL = re.compile(f"[&<>\r{_INVALID}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\t\n\r{_INVALID}]')
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


class UnsupportedBinding(Exception):
    """The binding uses an XML feature this serializer does not reproduce; use xsdata's serializer."""


@dataclass(frozen=True)
class _Child:
    field: str
    tag: str        # with its prefix when outside the default namespace
    open: str       # "<tag" and the namespace declaration xsdata puts on it, if any
    parent_namespace: str  # xsdata builds a nested binding's metadata in its parent element's namespace
    namespace: str
    ns_map: tuple   # the prefix -> URI map in force inside the child
    format: str | None
    start: str = ""  # "<tag>" (with the declaration), "</tag>" and "<tag/>" for simple content
    end: str = ""
    empty: str = ""

    def __post_init__(self):
        object.__setattr__(self, "start", self.open + ">")
        object.__setattr__(self, "end", f"</{self.tag}>")
        object.__setattr__(self, "empty", self.open + "/>")


@dataclass(frozen=True)
class _Plan:
    attributes: tuple  # (field, ' name="', format) in xsdata's order
    children: tuple    # _Child in the order of the XSD sequence
    text: tuple | None  # (field, format) of simple content


def to_xml_bytes(obj, *, default_namespace: str) -> bytes:
    """What `XmlSerializer(indent="", xml_declaration=False).render(obj, {None: ns}).encode()` returns.

    Raises UnsupportedBinding (see the module docstring), and ValueError for characters XML cannot hold.
    """
    meta = CONTEXT.build(type(obj))
    namespace, tag = split_qname(meta.qname)
    if namespace != default_namespace:
        raise UnsupportedBinding(f"root {meta.qname} outside the default namespace")
    out = [f'<{tag} xmlns="{default_namespace}"']
    _write_object(out, obj, tag, _plan(type(obj), None, namespace, ((None, namespace),)))
    return "".join(out).encode()


def _write_object(out: list, obj, tag: str, plan: _Plan) -> None:
    """Append the attributes of a start tag already opened in `out`, then the content and the end tag."""
    for field, start, fmt in plan.attributes:
        value = getattr(obj, field)
        if value is not None:
            out.append(start + _attr(value, fmt) + '"')
    mark = len(out)
    out.append(">")
    if plan.text is not None:
        value = getattr(obj, plan.text[0])
        if value is not None:
            text = _text(value, plan.text[1])
            if text:
                out.append(text)
    for child in plan.children:
        value = getattr(obj, child.field)
        if value is None:
            continue
        if type(value) is str:  # most NF-e fields: inlined, this loop runs ~200 times per note
            if not value:
                out.append(child.empty)
            elif _TEXT_SPECIAL.search(value):
                out.append(child.start + _text(value, None) + child.end)
            else:
                out.append(child.start + value + child.end)
        elif type(value) is list or type(value) is tuple:
            for item in value:
                _write_child(out, item, child)
        else:
            _write_child(out, value, child)
    if len(out) == mark + 1:
        out[mark] = "/>"  # lxml writes an element with neither text nor children as <tag/>
    else:
        out.append(f"</{tag}>")


def _write_child(out: list, value, child: _Child) -> None:
    if is_dataclass(value):
        out.append(child.open)
        _write_object(out, value, child.tag, _plan(type(value), child.parent_namespace, child.namespace, child.ns_map))
        return
    text = "" if value is None else _text(value, child.format)  # None in a list: an empty element
    out.append(child.start + text + child.end if text else child.empty)


def _text(value, fmt) -> str:
    text = _primitive(value, fmt)
    if _TEXT_SPECIAL.search(text):
        _check_characters(text)
        return text.translate(_TEXT_ESCAPES)
    return text


def _attr(value, fmt) -> str:
    text = _primitive(value, fmt)
    if _ATTR_SPECIAL.search(text):
        _check_characters(text)
        return text.translate(_ATTR_ESCAPES)
    return text


def _primitive(value, fmt) -> str:
    # xsdata's encode_primitive: a str as is, an enum by its value, anything else through xsdata's converter.
    if isinstance(value, str):
        return value
    if isinstance(value, Enum):
        return _primitive(value.value, fmt)
    if isinstance(value, (list, tuple, QName)):
        raise UnsupportedBinding(f"value {value!r}: xs:list or QName")
    return converter.serialize(value, format=fmt)


def _check_characters(text: str) -> None:
    if _INVALID_CHAR.search(text):
        raise ValueError(_LXML_MESSAGE)


@lru_cache(maxsize=None)
def _plan(cls, build_namespace: str | None, namespace: str, ns_map: tuple) -> _Plan:
    """The XML fields of `cls` in order, their tags as written under `ns_map`, for an element in `namespace`."""
    meta = CONTEXT.build(cls, build_namespace)
    if meta.nillable or meta.wildcards or meta.choices or meta.any_attributes:
        raise UnsupportedBinding(f"{cls.__name__}: nillable, wildcard or choice content")
    elements = [var for var in meta.get_element_vars() if not var.is_text]
    if meta.text is not None and elements:
        raise UnsupportedBinding(f"{cls.__name__}: mixed content")
    prefixes = {uri: prefix for prefix, uri in ns_map}
    return _Plan(
        attributes=tuple((var.name, f' {_attribute_name(var)}="', var.format) for var in meta.get_attribute_vars()),
        children=tuple(_child(var, namespace, prefixes, ns_map) for var in elements),
        text=(meta.text.name, meta.text.format) if meta.text is not None else None,
    )


def _attribute_name(var) -> str:
    if var.qname.startswith("{"):
        raise UnsupportedBinding(f"qualified attribute {var.qname}")
    return var.local_name


def _child(var, parent_namespace: str, prefixes: dict, ns_map: tuple) -> _Child:
    if var.sequence is not None or var.wrapper_qname or var.nillable or var.tokens or var.mixed:
        raise UnsupportedBinding(f"element {var.qname}: sequence, wrapper, nillable, tokens or mixed")
    if var.any_type or not var.is_element or QName in var.types:
        raise UnsupportedBinding(f"element {var.qname}: any type or QName")
    namespace, tag = split_qname(var.qname)
    if not namespace:
        raise UnsupportedBinding(f"unqualified element {var.qname} under a default namespace")
    declaration = ""
    prefix = prefixes.get(namespace, "")
    if namespace not in prefixes:
        # As xsdata does: a prefix generated from the map in force (ns1 for xmldsig in an NF-e), declared here.
        current = dict(ns_map)
        prefix = generate_prefix(namespace, current)
        ns_map = tuple(current.items())
        declaration = f' xmlns:{prefix}="{namespace}"'
    name = f"{prefix}:{tag}" if prefix else tag
    return _Child(var.name, name, f"<{name}{declaration}", parent_namespace, namespace, ns_map, var.format)
