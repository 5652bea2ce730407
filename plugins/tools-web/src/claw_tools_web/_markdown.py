"""HTML to Markdown with the standard library's ``html.parser``: enough structure for a model to read
a page (headings, paragraphs, links, lists, code, quotes, tables), none of its scripts or styling."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

_SKIP = {
    "script",
    "style",
    "noscript",
    "head",
    "template",
    "svg",
    "iframe",
    "canvas",
    "form",
    "button",
    "select",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "address",
    "details",
    "summary",
}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
_INLINE_MARK = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}


class _Converter(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base_url
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0
        self.lists: list[list[int]] = []  # per open list: [is_ordered, next number]
        self.quote = 0
        self.links: list[str | None] = []
        self.title: list[str] | None = None
        self.page_title = ""

    # -- output helpers ------------------------------------------------------------------------

    def write(self, text: str) -> None:
        self.out.append(text)

    def block(self, blank: bool = True) -> None:
        prefix = "> " * self.quote
        self.out.append("\n\n" + prefix if blank else "\n" + prefix)

    # -- parser callbacks ----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "title":
            self.title = []
            return
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.block()
            self.write("#" * int(tag[1]) + " ")
        elif tag in _BLOCK:
            self.block()
        elif tag == "br":
            self.write("\n" + "> " * self.quote)
        elif tag == "hr":
            self.block()
            self.write("---")
            self.block()
        elif tag == "pre":
            self.block()
            self.write("```\n")
            self.pre += 1
        elif tag == "code" and not self.pre:
            self.write("`")
        elif tag in _INLINE_MARK:
            self.write(_INLINE_MARK[tag])
        elif tag == "a":
            href = a.get("href")
            if href and not href.startswith(("javascript:", "#")):
                self.links.append(urljoin(self.base, href))
                self.write("[")
            else:
                self.links.append(None)
        elif tag == "img":
            alt = (a.get("alt") or "").strip()
            src = a.get("src")
            if src and not src.startswith("data:"):
                self.write(f"![{alt}]({urljoin(self.base, src)})")
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", int(a.get("start") or 1) if tag == "ol" else 0])
            if len(self.lists) == 1:
                self.block()
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            self.block(blank=False)
            indent = "  " * depth
            if self.lists and self.lists[-1][0]:
                self.write(f"{indent}{self.lists[-1][1]}. ")
                self.lists[-1][1] += 1
            else:
                self.write(f"{indent}- ")
        elif tag == "blockquote":
            self.quote += 1
            self.block()
        elif tag == "table":
            self.block()
        elif tag == "tr":
            self.block(blank=False)
            self.write("|")
        elif tag in ("td", "th"):
            self.write(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            if self.title is not None:
                self.page_title = " ".join("".join(self.title).split())
            self.title = None
            return
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") or tag in _BLOCK or tag == "table":
            self.block()
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.write("\n```")
            self.block()
        elif tag == "code" and not self.pre:
            self.write("`")
        elif tag in _INLINE_MARK:
            self.write(_INLINE_MARK[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.write(f"]({href})")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self.block()
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self.block()
        elif tag in ("td", "th"):
            self.write(" |")

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)
            return
        if self.skip:
            return
        if self.pre:
            self.write(data)
            return
        text = re.sub(r"\s+", " ", data)
        if text.strip() or (self.out and not self.out[-1].endswith((" ", "\n"))):
            self.write(text)


def html_to_markdown(html: str, base_url: str = "") -> str:
    """Convert an HTML document to Markdown. The page title becomes a first-level heading when the
    body has none."""
    parser = _Converter(base_url)
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    # Tidy: trailing spaces, runs of blank lines, spaces at line starts outside code blocks.
    lines, in_code = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
        lines.append(line.rstrip() if not in_code else line)
        if not in_code:
            line = re.sub(r"^((?:> )*) +(?=\S)(?!- |\d+\. )", r"\1", lines[-1])
            lines[-1] = "" if re.fullmatch(r"(?:> ?)+", line) else line
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if parser.page_title and not text.startswith("# "):
        text = f"# {parser.page_title}\n\n{text}" if text else f"# {parser.page_title}"
    return text
