"""Reading rendered pages the way a browser would, with the standard library's HTML parser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Page(HTMLParser):
    """All elements with their attributes, the text of <script> and <style>, and every form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.forms: list[dict] = []
        self._open_raw: Element | None = None

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag in {"script", "style"}:
            self._open_raw = element
        if tag == "form":
            self.forms.append({"attrs": element.attrs, "fields": [], "buttons": []})
        elif tag in {"input", "select", "textarea"} and self.forms:
            self.forms[-1]["fields"].append(element.attrs)
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append(element.attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._open_raw = None

    def handle_endtag(self, tag):
        if self._open_raw is not None and tag == self._open_raw.tag:
            self._open_raw = None

    def handle_data(self, data):
        if self._open_raw is not None:
            self._open_raw.text += data

    def find_all(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]

    def form(self, **attrs: str) -> dict:
        """The first form whose attributes include `attrs` (a value of "" only asks for presence)."""
        for form in self.forms:
            if all(
                name in form["attrs"] and (not value or form["attrs"][name] == value)
                for name, value in attrs.items()
            ):
                return form
        raise AssertionError(f"no form with {attrs} on the page")


def parse(content: bytes | str) -> Page:
    page = Page()
    page.feed(content.decode() if isinstance(content, bytes) else content)
    page.close()
    return page


def html_attribute(content: bytes, tag: str, name: str) -> str:
    """The value of attribute `name` on the first `tag` element of the page."""
    element = parse(content).find_all(tag)[0]
    return element.attrs[name]


def submit(client, page_content: bytes, form: dict, *, button: dict | None = None, **values):
    """Submit a form as a browser without JavaScript would: its fields, plus the pressed button."""
    data = {
        attrs["name"]: attrs.get("value", "")
        for attrs in form["fields"]
        if attrs.get("name") and attrs.get("type", "text") not in {"submit", "checkbox", "radio"}
    }
    if button is not None and button.get("name"):
        data[button["name"]] = button.get("value", "")
    data.update(values)
    return client.post(form["attrs"].get("action", ""), data)


CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE)
