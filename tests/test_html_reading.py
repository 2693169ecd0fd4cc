"""Scroll boxes for tables and zoom links for figures, added to the HTML that pandoc writes."""

from bs4 import BeautifulSoup

from report.outputs.html_reading import add_figure_zoom_links, wrap_tables
from report.sources.language import labels

NL = labels("nl")


def test_a_float_table_is_labelled_by_its_caption():
    body = ('<figcaption id="tbl-a-caption">Tabel 1: Aantallen</figcaption>'
            '<div aria-describedby="tbl-a-caption">\n<table class="dataframe"><tr><td>1</td></tr></table>\n</div>')
    box = BeautifulSoup(wrap_tables(body, NL), "html.parser").find("div", class_="table-responsive")
    assert box["role"] == "region"
    assert box["tabindex"] == "0"
    assert box["aria-labelledby"] == "tbl-a-caption"
    assert box.find("table")["class"] == ["dataframe"]


def test_a_table_with_its_own_caption_is_named_after_it():
    body = "<p>x</p><table><caption>Kosten &amp; baten</caption><tr><td>1</td></tr></table><p>y</p>"
    soup = BeautifulSoup(wrap_tables(body, NL), "html.parser")
    assert soup.find("div", class_="table-responsive")["aria-label"] == "Kosten & baten"
    assert [p.get_text() for p in soup.find_all("p")] == ["x", "y"]


def test_a_bare_table_gets_the_language_s_word_for_table():
    soup = BeautifulSoup(wrap_tables("<table><tr><td>1</td></tr></table>", NL), "html.parser")
    assert soup.find("div", class_="table-responsive")["aria-label"] == "Tabel"


def test_nested_tables_get_one_box_and_text_outside_tables_is_unchanged():
    body = "<p>a</p><table><tr><td><table><tr><td>1</td></tr></table></td></tr></table><p>b</p>"
    wrapped = wrap_tables(body, NL)
    assert wrapped.count('class="table-responsive"') == 1
    assert wrapped.startswith("<p>a</p><div") and wrapped.endswith("</div><p>b</p>")
    assert wrap_tables("<p>no tables</p>", NL) == "<p>no tables</p>"


def test_figure_images_get_a_link_to_the_image_and_other_images_do_not():
    body = ('<img src="ch_files/figure-html/fig-a-1.svg" class="img-fluid figure-img" alt="A" />'
            '<img src="logo.png" alt="logo" />')
    soup = BeautifulSoup(add_figure_zoom_links(body, NL), "html.parser")
    links = soup.select(".figure-zoom a")
    assert [(a["href"], a.get_text()) for a in links] == [("ch_files/figure-html/fig-a-1.svg",
                                                          "Open de figuur op ware grootte")]
