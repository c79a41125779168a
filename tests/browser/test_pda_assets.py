"""The PDA's own scripts stay plain ES5 (old Android WebViews without Google services never get updated), and
its page loads nothing from outside the app. No browser needed here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "pda_app" / "static"
SCRIPTS = sorted(p.name for p in STATIC.glob("*.js"))

# What ES2015+ looks like, once strings, regexes and comments are blanked out.
MODERN = {
    "arrow function": re.compile(r"=>"),
    "template literal": re.compile(r"`"),
    "let/const": re.compile(r"\b(let|const)\s"),
    "class": re.compile(r"\bclass\s+\w"),
    "spread/rest": re.compile(r"\.\.\.\w"),
    "async/await": re.compile(r"\b(async\s+function|await\s)"),
    "for-of": re.compile(r"for\s*\([^)]*\bof\b"),
    "default parameter": re.compile(r"function\s*\w*\s*\([^)]*="),
}
NEWER_APIS = re.compile(
    r"\.(includes|startsWith|endsWith|padStart|padEnd|find|findIndex|assign|entries|fromEntries)\(")


def _code_only(source: str) -> str:
    """Blank out comments, strings and regex literals (good enough for these hand-written files)."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "\"'":
            j = i + 1
            while source[j] != c:
                j += 2 if source[j] == "\\" else 1
            out.append('""')
            i = j + 1
        elif c == "/" and re.search(r"[(,=:!&|?{};\[]\s*$|return\s*$", "".join(out[-40:])):
            j = i + 1
            in_class = False
            while in_class or source[j] != "/":
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            out.append("/r/")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_are_plain_es5(name):
    code = _code_only((STATIC / name).read_text(encoding="utf-8"))
    found = {what: pattern.findall(code) for what, pattern in MODERN.items() if pattern.search(code)}
    assert found == {}, f"{name} uses ES2015+ syntax: {found}"
    assert NEWER_APIS.findall(code) == [], f"{name} uses post-ES5 library calls"
    assert code.count("(") == code.count(")") and code.count("{") == code.count("}")


def test_page_references_only_local_assets():
    html = (STATIC.parent / "templates" / "pda.html").read_text(encoding="utf-8")
    for name in ("feedback.js", "scan.js", "api.js", "queue.js", "camera.js", "pda.js", "pda.css"):
        assert f"asset('{name}')" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    for name in SCRIPTS:
        assert "jsdelivr" not in (STATIC / name).read_text(encoding="utf-8")
