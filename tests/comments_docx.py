"""Test helpers for `report comments`: a small project, its .docx with source anchors, and a reviewer's edits.

The base .docx is made by pandoc from markdown whose divs and spans carry the anchor names of ANCHORS.md
(rs_<F>_<L> around source blocks, rc_<F>_<L>_<K> around computed values), as the engine's docx writer does.
:class:`WordCopy` then edits word/document.xml the way Word saves a reviewer's work: bookmarks inside the
paragraphs, w:comment with w:id/w:author/w:date/w:initials, commentRangeStart/End and a commentReference run,
w:ins/w:del with w:id/w:author/w:date and w:delText, w:moveFrom/w:moveTo, commentsExtended for replies.
"""

from __future__ import annotations

import copy
import json
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from report.document.pandoc import pandoc_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

REVIEWER = ("Jan de Vries", "JdV", "2026-11-03T10:15:00Z")
SECOND_REVIEWER = ("Fatima El Amrani", "FEA", "2026-11-04T09:30:00Z")

INDEX = """---
title: "Tussenevaluatie"
---

# Samenvatting {.unnumbered}

Het netwerk werkt. De leden zijn tevreden over de "snelle" hulp.
"""

CHAPTER = """# Inleiding {#sec-inleiding}

De evaluatie kijkt naar het netwerk van bestuurders.
Zij beschrijft de opzet en de *eerste* resultaten.

## Aanpak {#sec-aanpak}

We spraken met 24 bestuurders in
drie regio's. Het aandeel dat zich bedreigd voelde
was `{python} aandeel` procent.

- Interviews met burgemeesters
- Een enquête onder raadsleden

Zie @sec-inleiding voor de opzet.

```{python}
#| label: tbl-regio
tabel
```

Slotalinea met een tweede zin. En nog een zin over de regio's.
"""

SOURCES = {"index.qmd": INDEX, "chapters/01-inleiding.qmd": CHAPTER}

# What the engine hands pandoc for these sources: every block in its rs_ div, computed values in rc_ spans, and
# the bibliography pandoc's citeproc generates (ref-<key> bookmarks, no source line).
ANCHORED_MARKDOWN = """
::: {#rs_0_5}
# Samenvatting
:::

::: {#rs_0_7}
Het netwerk werkt. De leden zijn tevreden over de "snelle" hulp.
:::

::: {#rs_1_1}
# Inleiding
:::

::: {#rs_1_3}
De evaluatie kijkt naar het netwerk van bestuurders.
Zij beschrijft de opzet en de *eerste* resultaten.
:::

::: {#rs_1_6}
## Aanpak
:::

::: {#rs_1_8}
We spraken met 24 bestuurders in
drie regio's. Het aandeel dat zich bedreigd voelde
was [42]{#rc_1_10_1} procent.
:::

- [Interviews met burgemeesters]{#rs_1_12}
- [Een enquête onder raadsleden]{#rs_1_13}

::: {#rs_1_15}
Zie [Hoofdstuk 1](#sec-inleiding) voor de opzet.
:::

::: {#rc_1_17_0}
| Regio | Aantal |
|-------|-------:|
| Noord | 12     |
:::

::: {#rs_1_22}
Slotalinea met een tweede zin. En nog een zin over de regio's.
:::

::: {#refs}
::: {#ref-caop2018}
CAOP (2018). Verklaring Weerbaar Bestuur. Den Haag.
:::
:::
"""


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def make_project(folder: Path, files: dict[str, str] = SOURCES) -> Path:
    """A project folder with `_quarto.yml` and ``files``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def base_docx(target: Path, markdown: str = ANCHORED_MARKDOWN, sources: tuple[str, ...] = tuple(SOURCES)) -> Path:
    """The .docx pandoc writes for ``markdown``, with the `report-sources` property, as the engine renders it."""
    subprocess.run([pandoc_path(), "-f", "markdown", "-t", "docx", "-o", str(target),
                    "-M", f"report-sources={json.dumps(list(sources))}", "-M", "lang=nl-NL"],
                   input=markdown.encode("utf-8"), check=True)
    return target


def _text_of(paragraph: etree._Element) -> str:
    return "".join(node.text or "" for node in paragraph.iter(w("t")))


def _run_text(run: etree._Element) -> str:
    return "".join(node.text or "" for node in run.iter(w("t")))


def _set_run_text(run: etree._Element, text: str) -> None:
    nodes = list(run.iter(w("t")))
    nodes[0].text = text
    nodes[0].set(XML_SPACE, "preserve")
    for extra in nodes[1:]:
        extra.getparent().remove(extra)


def _element(tag: str, **attributes: str) -> etree._Element:
    element = etree.Element(w(tag))
    for key, value in attributes.items():
        element.set(w(key), value)
    return element


class WordCopy:
    """A .docx opened for editing as a reviewer in Word would; :meth:`save` writes the returned copy."""

    def __init__(self, docx: Path, word_saved: bool = True):
        with zipfile.ZipFile(docx) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.document.find(w("body"))
        self.comments = etree.Element(w("comments"), nsmap={"w": W, "w14": W14})
        self.extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
        self.next_id = 900
        if word_saved:
            self.word_bookmarks()

    # -- Word's own way of saving ---------------------------------------------------------------------------------
    def word_bookmarks(self) -> None:
        """Word keeps bookmarks inside paragraphs: a body-level start moves into the next paragraph, an end into
        the previous one."""
        for element in list(self.body):
            if element.tag == w("bookmarkStart"):
                following = element.getnext()
                while following is not None and following.tag == w("bookmarkStart"):
                    following = following.getnext()
                if following is not None and following.tag == w("p"):
                    properties = following.find(w("pPr"))
                    following.insert(0 if properties is None else 1, element)
        for element in reversed(list(self.body)):
            if element.tag == w("bookmarkEnd"):
                preceding = element.getprevious()
                while preceding is not None and preceding.tag == w("bookmarkEnd"):
                    preceding = preceding.getprevious()
                if preceding is not None and preceding.tag == w("p"):
                    preceding.append(element)

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def paragraph(self, containing: str) -> etree._Element:
        found = [p for p in self.body.iter(w("p")) if containing in _text_of(p)]
        if len(found) > 1:
            found = [p for p in found if _text_of(p) == containing]  # a table cell's text is all it holds
        assert len(found) == 1, f"{len(found)} paragraphs contain {containing!r}"
        return found[0]

    def _runs(self, paragraph: etree._Element, start: int, end: int) -> list[etree._Element]:
        """The runs covering [start, end) of the paragraph's text, split at both ends so they cover exactly it."""
        position = 0
        covered = []
        for run in list(paragraph.iter(w("r"))):
            text = _run_text(run)
            if not text:
                continue
            run_start, run_end = position, position + len(text)
            position = run_end
            if run_end <= start or run_start >= end:
                continue
            if run_start < start:
                head = copy.deepcopy(run)
                _set_run_text(head, text[:start - run_start])
                run.addprevious(head)
                text = text[start - run_start:]
                _set_run_text(run, text)
                run_start = start
            if run_end > end:
                tail = copy.deepcopy(run)
                _set_run_text(tail, text[end - run_start:])
                run.addnext(tail)
                _set_run_text(run, text[:end - run_start])
            covered.append(run)
        return covered

    def _find(self, containing: str, text: str) -> tuple[etree._Element, list[etree._Element]]:
        paragraph = self.paragraph(containing)
        start = _text_of(paragraph).index(text)
        return paragraph, self._runs(paragraph, start, start + len(text))

    def _revision(self, tag: str, who: tuple[str, str, str]) -> etree._Element:
        return _element(tag, id=self._id(), author=who[0], date=who[2])

    # -- comments -------------------------------------------------------------------------------------------------
    def comment(self, containing: str, quote: str, text: str, who=REVIEWER, replies=(), done=False) -> str:
        """A comment on ``quote`` in the paragraph containing ``containing``; replies as (who, text) pairs."""
        _, runs = self._find(containing, quote)
        identifier = self._add_comment(text, who, done)
        runs[0].addprevious(_element("commentRangeStart", id=identifier))
        runs[-1].addnext(_element("commentRangeEnd", id=identifier))
        reference = etree.Element(w("r"))
        properties = etree.SubElement(reference, w("rPr"))
        etree.SubElement(properties, w("rStyle")).set(w("val"), "CommentReference")
        reference.append(_element("commentReference", id=identifier))
        runs[-1].getnext().addnext(reference)
        parent_paragraph_id = self._para_id(identifier)
        for reply_who, reply_text in replies:
            reply = self._add_comment(reply_text, reply_who, False, parent=parent_paragraph_id)
            runs[0].addprevious(_element("commentRangeStart", id=reply))
            runs[-1].getnext().addnext(_element("commentRangeEnd", id=reply))
        return identifier

    def _para_id(self, identifier: str) -> str:
        return f"{int(identifier):08X}"

    def _add_comment(self, text: str, who, done: bool, parent: str | None = None) -> str:
        identifier = self._id()
        comment = etree.SubElement(self.comments, w("comment"))
        for key, value in (("id", identifier), ("author", who[0]), ("date", who[2]), ("initials", who[1])):
            comment.set(w(key), value)
        paragraph = etree.SubElement(comment, w("p"))
        paragraph.set(f"{{{W14}}}paraId", self._para_id(identifier))
        paragraph.set(f"{{{W14}}}textId", "77777777")
        mark = etree.SubElement(paragraph, w("r"))
        etree.SubElement(mark, w("annotationRef"))
        run = etree.SubElement(paragraph, w("r"))
        node = etree.SubElement(run, w("t"))
        node.text = text
        entry = etree.SubElement(self.extended, f"{{{W15}}}commentEx")
        entry.set(f"{{{W15}}}paraId", self._para_id(identifier))
        if parent:
            entry.set(f"{{{W15}}}paraIdParent", parent)
        entry.set(f"{{{W15}}}done", "1" if done else "0")
        return identifier

    # -- tracked changes ------------------------------------------------------------------------------------------
    def delete(self, containing: str, text: str, who=REVIEWER) -> None:
        _, runs = self._find(containing, text)
        wrapper = self._revision("del", who)
        runs[0].addprevious(wrapper)
        for run in runs:
            for node in run.iter(w("t")):
                node.tag = w("delText")
            wrapper.append(run)

    def insert(self, containing: str, after: str, text: str, who=REVIEWER) -> None:
        """Type ``text`` right after the first ``after`` in the paragraph."""
        paragraph = self.paragraph(containing)
        end = _text_of(paragraph).index(after) + len(after)
        runs = self._runs(paragraph, 0, end)
        run = copy.deepcopy(runs[-1])
        _set_run_text(run, text)
        wrapper = self._revision("ins", who)
        wrapper.append(run)
        runs[-1].addnext(wrapper)

    def replace(self, containing: str, old: str, new: str, who=REVIEWER) -> None:
        _, runs = self._find(containing, old)
        anchor_run = runs[-1]
        inserted = copy.deepcopy(anchor_run)
        self.delete(containing, old, who)
        for node in inserted.iter(w("delText")):
            node.tag = w("t")
        _set_run_text(inserted, new)
        wrapper = self._revision("ins", who)
        wrapper.append(inserted)
        anchor_run.getparent().addnext(wrapper)

    def delete_paragraph_tracked(self, containing: str, who=REVIEWER) -> None:
        paragraph = self.paragraph(containing)
        self.delete(containing, _text_of(paragraph), who)
        self._mark(paragraph, "del", who)

    def insert_paragraph_after(self, containing: str, text: str, who=REVIEWER) -> None:
        """Press Enter at the end of a paragraph and type ``text``, tracking on."""
        before = self.paragraph(containing)
        paragraph = etree.Element(w("p"))
        # Enter at the end of a paragraph: the new one takes its style and list numbering, as in Word.
        properties = copy.deepcopy(before.find(w("pPr")))
        if properties is None:
            properties = etree.Element(w("pPr"))
        for marks in properties.findall(w("rPr")):
            properties.remove(marks)
        paragraph.append(properties)
        wrapper = self._revision("ins", who)
        run = etree.SubElement(wrapper, w("r"))
        node = etree.SubElement(run, w("t"))
        node.text = text
        paragraph.append(wrapper)
        self._mark(paragraph, "ins", who)
        before.addnext(paragraph)

    def _mark(self, paragraph: etree._Element, kind: str, who) -> None:
        properties = paragraph.find(w("pPr"))
        if properties is None:
            properties = etree.Element(w("pPr"))
            paragraph.insert(0, properties)
        run_properties = properties.find(w("rPr"))
        if run_properties is None:
            run_properties = etree.SubElement(properties, w("rPr"))
        run_properties.append(self._revision(kind, who))

    def move_tracked(self, containing: str, before: str, who=REVIEWER) -> None:
        """Drag a paragraph with tracking on: its text becomes w:moveFrom, a copy in w:moveTo lands before another."""
        source = self.paragraph(containing)
        target = self.paragraph(before)
        arrived = copy.deepcopy(source)
        for node in arrived.iter(w("bookmarkStart"), w("bookmarkEnd")):
            node.getparent().remove(node)
        for paragraph, kind in ((source, "moveFrom"), (arrived, "moveTo")):
            wrapper = self._revision(kind, who)
            runs = [run for run in paragraph if run.tag == w("r")]
            runs[0].addprevious(wrapper)
            for run in runs:
                if kind == "moveFrom":
                    for node in run.iter(w("t")):
                        node.tag = w("delText")
                wrapper.append(run)
        target.addprevious(arrived)

    # -- untracked editing ----------------------------------------------------------------------------------------
    def move_paragraph(self, containing: str, before: str) -> None:
        """Cut a paragraph (its bookmarks with it) and paste it before another, tracking off."""
        self.paragraph(before).addprevious(self.paragraph(containing))

    def remove_paragraph(self, containing: str) -> None:
        paragraph = self.paragraph(containing)
        paragraph.getparent().remove(paragraph)

    def drop_bookmarks(self, containing: str) -> None:
        """The paragraph retyped: Word keeps no bookmark in it."""
        for node in list(self.paragraph(containing).iter(w("bookmarkStart"), w("bookmarkEnd"))):
            node.getparent().remove(node)

    # -- saving ---------------------------------------------------------------------------------------------------
    def save(self, target: Path) -> Path:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(self.document, xml_declaration=True, encoding="UTF-8",
                                                    standalone=True)
        if len(self.comments):
            parts["word/comments.xml"] = etree.tostring(self.comments, xml_declaration=True, encoding="UTF-8")
            parts["word/commentsExtended.xml"] = etree.tostring(self.extended, xml_declaration=True, encoding="UTF-8")
            parts["word/_rels/document.xml.rels"] = self._relations(parts["word/_rels/document.xml.rels"])
            parts["[Content_Types].xml"] = self._types(parts["[Content_Types].xml"])
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return target

    def _relations(self, data: bytes) -> bytes:
        root = etree.fromstring(data)
        for number, (kind, target) in enumerate((
                ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments", "comments.xml"),
                ("http://schemas.microsoft.com/office/2011/relationships/commentsExtended", "commentsExtended.xml"))):
            relation = etree.SubElement(root, f"{{{RELS}}}Relationship")
            relation.set("Id", f"rIdReview{number}")
            relation.set("Type", kind)
            relation.set("Target", target)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def _types(self, data: bytes) -> bytes:
        root = etree.fromstring(data)
        for part, kind in (("/word/comments.xml", "comments"), ("/word/commentsExtended.xml", "commentsExtended")):
            override = etree.SubElement(root, f"{{{TYPES}}}Override")
            override.set("PartName", part)
            override.set("ContentType", f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
