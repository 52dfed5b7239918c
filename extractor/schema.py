"""The JSON Schema of a record, generated from the dataclasses in `model.py` (never written by hand).

Every dataclass becomes an object definition under `$defs` whose properties are its fields (all required, no others:
keys are always present, CONTRACT.md §1); `X | None` allows null; `list[X]` and `tuple[X, ...]` are arrays; `int |
float` is a number; a field's `metadata["schema"]` adds its own keywords (bounds, `uniqueItems`, an item pattern).
A field whose plural name is a tuple constant in model.py (`qualifier` ↔ `QUALIFIERS`) gets that list as its enum.
The class docstrings are the descriptions. `rasd schema` prints it.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from typing import Any

from . import model
from .model import ArticleRecord

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _enum_for(name: str) -> list[str] | None:
    values = getattr(model, name.upper() + "S", None)
    if isinstance(values, tuple) and values and all(isinstance(v, str) for v in values):
        return list(values)
    return None


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        non_null = [a for a in args if a is not type(None)]
        if set(non_null) == {int, float}:
            inner: dict[str, Any] = {"type": "number"}
        elif len(non_null) == 1:
            inner = _type_schema(non_null[0], defs)
        else:
            inner = {"anyOf": [_type_schema(a, defs) for a in non_null]}
        if len(non_null) < len(args):
            if "type" in inner and isinstance(inner["type"], str):
                return {**inner, "type": [inner["type"], "null"]}
            return {"anyOf": [inner, {"type": "null"}]}
        return inner
    if origin is list or (origin is tuple and typing.get_args(tp)[1:] == (...,)):
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], defs)}
    if is_dataclass(tp):
        _define(tp, defs)  # type: ignore[arg-type]
        return {"$ref": f"#/$defs/{tp.__name__}"}
    simple = {str: "string", bool: "boolean", int: "integer", float: "number"}
    if tp in simple:
        return {"type": simple[tp]}
    return {}


def _define(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    if cls.__name__ in defs:
        return defs[cls.__name__]  # type: ignore[no-any-return]
    body: dict[str, Any] = {"type": "object"}
    defs[cls.__name__] = body
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        prop = _type_schema(hints[f.name], defs)
        enum = _enum_for(f.name)
        if enum is not None:
            prop["enum"] = enum + ([None] if prop.get("type") == ["string", "null"] else [])
        if f.default is not MISSING and isinstance(f.default, (str, int, float, bool)) and f.default != "":
            prop["default"] = f.default
        for key, value in f.metadata.get("schema", {}).items():  # bounds a field declares (confidence in [0, 1])
            prop[key] = {**prop[key], **value} if isinstance(value, dict) and isinstance(prop.get(key), dict) \
                else value
        props[f.name] = prop
    doc = (cls.__doc__ or "").strip().splitlines()
    if doc:
        body["description"] = doc[0]
    body["properties"] = props
    body["required"] = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    body["additionalProperties"] = False
    return body


def record_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one article record, as `rasd batch` writes it in JSON Lines."""
    defs: dict[str, Any] = {}
    root = _define(ArticleRecord, defs)
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "$id": "https://rasd.invalid/schema/record.json",
                              "title": "rasd article record"}
    schema.update({k: v for k, v in root.items()})
    schema["$defs"] = {k: v for k, v in defs.items() if k != ArticleRecord.__name__}
    return schema
