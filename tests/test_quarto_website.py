"""Website projects (`project: type: website`): one document rendered into the site, and the whole site with
the navbar and sidebar of `website:`."""

from pathlib import Path

import pytest
from lxml import html as lxml_html

from report.build import RenderOptions, render
from report.errors import ReportError
from report.outputs.publish import read_marker

PROJECT = """project:
  type: website
{project_extra}website:
  title: "Mijn site"
  favicon: icoon.png
  navbar:
    background: primary
    left:
      - href: index.qmd
        text: Home
      - over.qmd
    right:
      - href: https://example.org
        text: Extern
  sidebar:
    title: Inhoud
    contents:
      - index.qmd
      - section: Onderdelen
        contents:
          - sub/diep.qmd
lang: nl
author: Projectauteur
format:
  html:
    toc: true
"""
HTML_ONLY = RenderOptions(formats=("html",))


def make_site(root: Path, project_extra: str = "") -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "_quarto.yml").write_text(PROJECT.format(project_extra=project_extra), encoding="utf-8")
    (root / "index.qmd").write_text("---\ntitle: Welkom\n---\n\nHallo.\n", encoding="utf-8")
    (root / "over.qmd").write_text("---\ntitle: Over ons\n---\n\nOver.\n", encoding="utf-8")
    (root / "sub" / "diep.qmd").write_text("---\ntitle: Diep\nauthor: Eigen auteur\n---\n\n## Kop\n\n"
                                           "Zie [over](../over.qmd).\n", encoding="utf-8")
    (root / "_concept.qmd").write_text("# Niet publiceren\n", encoding="utf-8")
    (root / "_partials").mkdir()
    (root / "_partials" / "stuk.qmd").write_text("# Ook niet\n", encoding="utf-8")
    return root


def page(file: Path):
    return lxml_html.fromstring(file.read_bytes())


def links_resolve(site: Path, file: Path, selector: str) -> list[str]:
    hrefs = [anchor.get("href") for anchor in page(file).cssselect(selector)]
    for href in hrefs:
        if "://" not in href:
            assert (file.parent / href).resolve().is_file(), f"{href} in {file.name} leads nowhere"
    return hrefs


def test_a_document_of_a_website_renders_into_the_sites_output_folder(tmp_path):
    site = make_site(tmp_path / "site")
    result = render(site / "sub" / "diep.qmd", HTML_ONLY)
    output = site / "_site" / "sub" / "diep.html"
    assert result.outputs == (output,)
    assert not (site / "sub" / "diep.html").exists()
    tree = page(output)
    assert tree.get("lang") == "nl"
    assert tree.cssselect("h1.title")[0].text_content() == "Diep"
    # project < format < document: the document's author wins, the project's toc is kept.
    assert "Eigen auteur" in tree.cssselect("#title-block-header")[0].text_content()
    assert "Projectauteur" not in output.read_text(encoding="utf-8")
    assert [a.get("href") for a in tree.cssselect("#page-toc-list a")] == ["#kop"]
    assert [a.get("href") for a in tree.cssselect("main a") if "over" in a.get("href")] == ["../over.html"]
    assert [(a.get("href"), a.text_content()) for a in tree.cssselect("nav.navbar a.nav-link")] == [
        ("../index.html", "Home"), ("../over.html", "Over ons"), ("https://example.org", "Extern")]
    current = tree.cssselect("#quarto-sidebar a[aria-current=page]")
    assert [(a.get("href"), a.text_content()) for a in current] == [("diep.html", "Diep")]


def test_output_dir_dot_writes_the_page_beside_its_document(tmp_path):
    site = make_site(tmp_path / "site", project_extra="  output-dir: .\n")
    render(site / "index.qmd", HTML_ONLY)
    assert page(site / "index.html").cssselect("nav.navbar a.navbar-brand")[0].text_content() == "Mijn site"


def test_the_whole_site_has_every_page_with_navbar_and_sidebar(tmp_path):
    site = make_site(tmp_path / "site")
    result = render(site, HTML_ONLY)
    output = site / "_site"
    pages = sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html"))
    assert pages == ["index.html", "over.html", "sub/diep.html"]  # not _concept.qmd nor _partials/
    for name in pages:
        tree = page(output / name)
        assert tree.cssselect("header nav.navbar[aria-label=Hoofdmenu]"), name
        assert tree.cssselect("main#quarto-document-content"), name
        links_resolve(output, output / name, "nav.navbar a, #quarto-sidebar a")
    sidebar = page(output / "index.html").cssselect("#quarto-sidebar")[0]
    assert sidebar.get("aria-label") == "Inhoudsopgave"
    assert sidebar.cssselect(".sidebar-title")[0].text_content() == "Inhoud"
    assert [span.text_content() for span in sidebar.cssselect("span.menu-text")] == ["Welkom", "Onderdelen", "Diep"]
    assert [w.message for w in result.warnings] == [
        "option 'website.favicon' is ignored by the embedded engine",
        "option 'website.navbar.background' is ignored by the embedded engine"]
    assert [(str(w.path), w.line) for w in result.warnings] == [("_quarto.yml", 5), ("_quarto.yml", 7)]


def test_a_page_rendered_alone_and_the_whole_site_share_the_output_folder(tmp_path):
    site = make_site(tmp_path / "site")
    render(site, HTML_ONLY)
    output = site / "_site"
    before = (output / "index.html").stat().st_ino
    (site / "over.qmd").write_text("---\ntitle: Over ons\n---\n\nNieuw.\n", encoding="utf-8")
    render(site / "over.qmd", HTML_ONLY)
    assert "Nieuw." in (output / "over.html").read_text(encoding="utf-8")
    assert (output / "index.html").stat().st_ino == before  # the other pages stay as they were
    (output / "CNAME").write_text("site.example.org\n", encoding="utf-8")
    (site / "over.qmd").unlink()
    render(site, HTML_ONLY)
    assert not (output / "over.html").exists()
    assert (output / "CNAME").read_text(encoding="utf-8") == "site.example.org\n"
    assert "CNAME" not in read_marker(output)


def test_project_render_names_the_sites_documents(tmp_path):
    site = make_site(tmp_path / "site", project_extra="  render:\n    - index.qmd\n    - sub/*.qmd\n")
    render(site, HTML_ONLY)
    output = site / "_site"
    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html")) == [
        "index.html", "sub/diep.html"]


def test_a_default_project_without_documents_says_which_files_a_project_renders(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        render(tmp_path, HTML_ONLY)
    assert caught.value.message == (f"no documents to render in {tmp_path.resolve()}: a project renders the .qmd, "
                                    ".md and .ipynb files whose names (and folders' names) do not start with _ or .")


def test_only_a_page_that_lists_typst_gets_a_pdf_in_the_site(tmp_path):
    site = make_site(tmp_path / "site")
    (site / "over.qmd").write_text("---\ntitle: Over ons\nformat:\n  html: default\n  typst: default\n---\n\nOver.\n",
                                   encoding="utf-8")
    render(site)
    output = site / "_site"
    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("*.pdf")) == ["over.pdf"]
    assert read_marker(output)["over.pdf"] == "typst"
    assert (output / "over.html").is_file() and (output / "index.html").is_file()


def test_keep_typ_keeps_the_typst_source_beside_the_document_while_the_pdf_goes_to_the_site(tmp_path):
    """Quarto keeps intermediate files alongside the source, also in a project with an output-dir."""
    site = make_site(tmp_path / "site")
    (site / "sub" / "diep.qmd").write_text("---\ntitle: Diep\nkeep-typ: true\n---\n\nTekst.\n", encoding="utf-8")
    result = render(site / "sub" / "diep.qmd", RenderOptions(formats=("typst",)))
    assert result.outputs == (site / "_site" / "sub" / "diep.pdf",)
    assert "Tekst." in (site / "sub" / "diep.typ").read_text(encoding="utf-8")
    assert not (site / "_site" / "sub" / "diep.typ").exists()


def test_typst_packages_quarto_bundles_compile_without_a_network(tmp_path):
    """`@preview/marginalia` and `@preview/theorion` come from the engine's own copy, never a download."""
    source = tmp_path / "doc.qmd"
    source.write_text('---\ntitle: Pakketten\nformat: typst\n---\n\n```{=typst}\n'
                      '#import "@preview/marginalia:0.3.1" as marginalia: note\n'
                      '#import "@preview/theorion:0.4.1": make-frame\n'
                      '#note[Randnoot]\n```\n\nTekst.\n', encoding="utf-8")
    render(source, RenderOptions(formats=("typst",)))
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "doc.pdf").pages)
    assert "Randnoot" in text


def small_site(root: Path, project: str, pages: dict[str, str]) -> Path:
    """A website whose `_quarto.yml` is ``project`` and whose documents are ``pages`` (name -> text)."""
    root.mkdir(parents=True)
    (root / "_quarto.yml").write_text(project, encoding="utf-8")
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_navigation_entries_keep_their_target_and_rel_and_a_section_may_link(tmp_path):
    site = small_site(tmp_path / "site",
        "project:\n  type: website\nwebsite:\n  title: S\n  navbar:\n    left:\n"
        "      - {href: 'https://example.org/a', text: A, target: _blank}\n"
        "  sidebar:\n    contents:\n      - {href: 'https://example.org/b', text: B, target: _blank, rel: external}\n"
        "      - text: Sectie\n        href: https://example.org/c\n        contents:\n"
        "          - index.qmd\n", {"index.qmd": "---\ntitle: Start\n---\n\nTekst.\n"})
    render(site / "index.qmd", HTML_ONLY)
    tree = page(site / "_site" / "index.html")
    assert [(a.get("href"), a.get("target"), a.get("rel")) for a in tree.cssselect("nav.navbar a.nav-link")] == [
        ("https://example.org/a", "_blank", None)]
    assert [(a.get("href"), a.get("target"), a.get("rel")) for a in tree.cssselect("#quarto-sidebar a.sidebar-link")] \
        == [("https://example.org/b", "_blank", "external"), ("https://example.org/c", None, None),
            ("index.html", None, None)]


def test_breadcrumbs_lead_through_the_sidebar_sections_to_the_page_even_without_a_title(tmp_path):
    site = small_site(tmp_path / "site",
        "project:\n  type: website\nlang: nl\nwebsite:\n  title: S\n  sidebar:\n    contents:\n"
        "      - index.qmd\n      - section: Handleidingen\n        contents:\n"
        "          - {href: gids.qmd, text: De gids}\n          - naamloos.qmd\n",
        {"index.qmd": "---\ntitle: Start\n---\n\nTekst.\n", "gids.qmd": "---\ntitle: Gids\n---\n\nTekst.\n",
         "naamloos.qmd": "# Een kop\n\nTekst.\n"})
    for name in ("index.qmd", "gids.qmd", "naamloos.qmd"):
        render(site / name, HTML_ONLY)

    def crumbs(name: str) -> list[str]:
        return [item.text_content() for item in
                page(site / "_site" / name).cssselect("header.quarto-title-block nav[aria-label=Kruimelpad] "
                                                       "ol.breadcrumb li.breadcrumb-item")]

    assert crumbs("gids.html") == ["Handleidingen", "De gids"]
    assert crumbs("naamloos.html") == ["Handleidingen", "Een kop"]
    assert crumbs("index.html") == [], "a page outside any section has none"


def test_navbar_and_sidebar_logos_carry_their_alt_text_and_a_local_logo_is_published(tmp_path):
    site = tmp_path / "site"
    (site / "beeld").mkdir(parents=True)
    (site / "beeld" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: S\n"
        "  navbar:\n    logo: beeld/logo.png\n    logo-alt: Logo van de gemeente\n"
        "  sidebar:\n    logo: https://example.org/logo.png\n    logo-alt: Logo in de zijbalk\n", encoding="utf-8")
    (site / "sub").mkdir()
    (site / "sub" / "pagina.qmd").write_text("---\ntitle: Pagina\n---\n\nTekst.\n", encoding="utf-8")
    result = render(site / "sub" / "pagina.qmd", HTML_ONLY)
    assert not [str(item) for item in result.warnings if "logo" in str(item)]
    tree = page(site / "_site" / "sub" / "pagina.html")
    navbar = tree.cssselect("nav.navbar img.navbar-logo")[0]
    assert (navbar.get("src"), navbar.get("alt")) == ("../beeld/logo.png", "Logo van de gemeente")
    assert (site / "_site" / "beeld" / "logo.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    sidebar = tree.cssselect("#quarto-sidebar img.sidebar-logo")[0]
    assert (sidebar.get("src"), sidebar.get("alt")) == ("https://example.org/logo.png", "Logo in de zijbalk")


def test_a_missing_logo_warns_and_the_page_renders_and_one_outside_the_project_is_refused(tmp_path):
    (tmp_path / "geheim.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = small_site(tmp_path / "site", "project:\n  type: website\nwebsite:\n  title: S\n"
                                         "  navbar:\n    logo: beeld/weg.png\n",
                      {"index.qmd": "---\ntitle: Start\n---\n\nTekst.\n"})
    result = render(site / "index.qmd", HTML_ONLY)
    assert [str(item) for item in result.warnings] == [
        "_quarto.yml: logo 'beeld/weg.png' does not exist; the page shows no image there"]
    assert (site / "_site" / "index.html").is_file()
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: S\n"
                                      "  navbar:\n    logo: ../geheim.png\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"^_quarto.yml: logo '\.\./geheim\.png' "):
        render(site / "index.qmd", HTML_ONLY)
    assert not (site / "_site" / "geheim.png").exists()
