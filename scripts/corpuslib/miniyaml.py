"""A reader for the subset of YAML that sqldef's test-case files use (python3 has no yaml module).

Role: turn `tests_*.yml` into `{case name: {field: value}}` without a third-party dependency.

What it reads: top-level keys (case names) at column 0; under each, keys at one indentation with
  - `|` block scalars (with the `-` / `+` chomping indicators and an explicit indentation digit),
  - inline scalars: double-quoted (common escapes), single-quoted (`''`), or plain (a ` #` comment removed),
  - flow collections (`[]`, `[a, b]`), kept as raw text,
  - a key with nothing after the colon followed by deeper lines: a nested mapping or list (kept as its raw
    text, since the corpus runner never needs it) or, when those lines are not `key:`/`- item` lines, a plain
    multi-line scalar folded with spaces.
Values are strings (or None for an empty plain value); booleans and numbers are not converted.

Invariant: anything outside that subset (folded `>` scalars, anchors, tags,
tabs for indentation) raises ValueError naming the line, so a misread case never passes silently.
"""

import re

_KEY = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z0-9_.\-]+|\"[^\"]*\"|'[^']*'):(?:\s+(?P<rest>.*)|\s*)$")
_NESTED = re.compile(r"^\s*(- |-$|[A-Za-z0-9_.\-\"']+:(\s|$))")
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "0": "\0", "/": "/"}


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _blank(line):
    s = line.strip()
    return s == "" or s.startswith("#")


def _unquote_key(key):
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        return key[1:-1]
    return key


def _strip_comment(text):
    """A plain scalar ends at ` #`."""
    m = re.search(r"\s#", text)
    return (text[: m.start()] if m else text).strip()


def _inline(rest, lineno):
    rest = rest.strip()
    if rest.startswith('"'):
        out, i = [], 1
        while i < len(rest):
            c = rest[i]
            if c == "\\":
                nxt = rest[i + 1 : i + 2]
                if nxt not in _ESCAPES:
                    raise ValueError(f"line {lineno}: unsupported escape \\{nxt}")
                out.append(_ESCAPES[nxt])
                i += 2
            elif c == '"':
                tail = rest[i + 1 :].strip()
                if tail and not tail.startswith("#"):
                    raise ValueError(f"line {lineno}: text after a quoted scalar")
                return "".join(out)
            else:
                out.append(c)
                i += 1
        raise ValueError(f"line {lineno}: unterminated double-quoted scalar")
    if rest.startswith("'"):
        m = re.match(r"'((?:[^']|'')*)'\s*(#.*)?$", rest)
        if not m:
            raise ValueError(f"line {lineno}: bad single-quoted scalar")
        return m.group(1).replace("''", "'")
    if rest[:1] in "[{":
        return {"raw": rest}
    if rest[:1] in "&*!>":
        raise ValueError(f"line {lineno}: unsupported YAML construct {rest[:1]!r}")
    value = _strip_comment(rest)
    return value if value != "" else None


def _block(lines, start, key_indent, header, lineno):
    """Reads a `|` block scalar whose content starts at lines[start]; returns (value, next index)."""
    m = re.match(r"^\|([1-9])?([+-])?([1-9])?\s*(#.*)?$", header.strip())
    if not m:
        raise ValueError(f"line {lineno}: unsupported block scalar header {header.strip()!r}")
    explicit = m.group(1) or m.group(3)
    chomp = m.group(2) or ""
    i, block_indent = start, None
    if explicit:
        block_indent = key_indent + int(explicit)
    content = []
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t") and line.strip():
            raise ValueError(f"line {i + 1}: tab indentation")
        if line.strip() == "":
            content.append(line[block_indent:] if block_indent and len(line) > block_indent else "")
            i += 1
            continue
        ind = _indent(line)
        if block_indent is None:
            if ind <= key_indent:
                break
            block_indent = ind
        if ind < block_indent:
            break
        content.append(line[block_indent:])
        i += 1
    if chomp == "+":
        return "\n".join(content) + "\n", i
    while content and content[-1].strip() == "":
        content.pop()
    value = "\n".join(content)
    if chomp == "" and content:
        value += "\n"
    return value, i


def _deeper(lines, start, key_indent):
    """The lines after a bare `key:` that belong to it; returns (their texts, next index)."""
    i, out = start, []
    while i < len(lines):
        line = lines[i]
        if line.strip() != "" and not line.lstrip().startswith("#") and _indent(line) <= key_indent:
            break
        out.append(line)
        i += 1
    while out and out[-1].strip() == "":
        out.pop()
    return out, i


def _bare(lines, start, key_indent):
    """A key with nothing after the colon: a nested structure (raw text) or a plain multi-line scalar."""
    body, nxt = _deeper(lines, start, key_indent)
    meaningful = [line for line in body if not _blank(line)]
    if not meaningful:
        return None, nxt
    if _NESTED.match(meaningful[0]):
        return {"raw": "\n".join(body)}, nxt
    paragraphs, para = [], []
    for line in body:
        if line.strip() == "":
            paragraphs.append(" ".join(para))
            para = []
        else:
            para.append(line.strip())
    paragraphs.append(" ".join(para))
    return "\n".join(paragraphs).strip("\n"), nxt


def read_cases(text):
    """Parses a sqldef test file into {case name: {field: value}} (the last of duplicate names wins)."""
    lines = text.split("\n")
    cases, current, field_indent = {}, None, None
    i = 0
    while i < len(lines):
        line = lines[i]
        if _blank(line):
            i += 1
            continue
        if line.startswith("\t"):
            raise ValueError(f"line {i + 1}: tab indentation")
        m = _KEY.match(line)
        if not m:
            raise ValueError(f"line {i + 1}: expected `key: value`, got {line.strip()[:60]!r}")
        ind, key, rest = len(m.group("indent")), _unquote_key(m.group("key")), m.group("rest")
        if ind == 0:
            if rest and not rest.startswith("#"):
                raise ValueError(f"line {i + 1}: a case must be a mapping")
            current, field_indent = {}, None
            cases[key] = current
            i += 1
            continue
        if current is None:
            raise ValueError(f"line {i + 1}: field outside a case")
        if field_indent is None:
            field_indent = ind
        if ind != field_indent:
            raise ValueError(f"line {i + 1}: unexpected indentation {ind} (fields are at {field_indent})")
        if rest and rest.lstrip().startswith("|"):
            current[key], i = _block(lines, i + 1, ind, rest, i + 1)
        elif rest is None or rest.strip() == "" or rest.strip().startswith("#"):
            current[key], i = _bare(lines, i + 1, ind)
        else:
            current[key] = _inline(rest, i + 1)
            i += 1
    return cases
