"""Kernel start-up: installed packages are imported once, ahead of the documents, yet each namespace stays clean."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from report.build import RenderOptions, render
from report.sources.qmd import parse_qmd
from report.execution._imports import installed_imports


def test_installed_imports_follow_local_modules_and_skip_the_standard_library(tmp_path):
    (tmp_path / "pkgx").mkdir()
    (tmp_path / "pkgx" / "__init__.py").write_text("import json\nimport numpy\n", encoding="utf-8")
    (tmp_path / "pkgx" / "sub.py").write_text("from . import helper\nimport yaml as y\n", encoding="utf-8")
    (tmp_path / "pkgx" / "helper.py").write_text("def f():\n    import pandas\n", encoding="utf-8")
    doc = parse_qmd("```{python}\nfrom pkgx.sub import *\nimport os\n%matplotlib inline\n```\n\n"
                    "```{python}\n#| eval: false\nimport plotnine\n```\n", Path("a.qmd"))

    found = installed_imports([doc], [tmp_path])

    assert found == ("numpy", "pandas", "yaml")  # not json/os (standard library), not pkgx (local), not plotnine


def test_preloaded_packages_are_in_memory_but_not_in_the_document_namespace(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Voorladen\n  chapters:\n"
                                          "    - index.qmd\n    - a.qmd\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Start {#sec-start}\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "a.qmd").write_text("""\
# A {#sec-a}

```{python}
#| echo: false
import sys
names = sorted(name for name in globals() if not name.startswith("_"))
print("preloaded:", "pandas" in sys.modules)
print("names:", " ".join(names))
```

```{python}
#| echo: false
import pandas
print("imported:", pandas.__name__)
```
""", encoding="utf-8")

    result = render(tmp_path, RenderOptions(formats=("html",), use_cache=False))

    assert result.executed == (Path("a.qmd"),)
    text = BeautifulSoup((tmp_path / "_book" / "a.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "preloaded: True" in text  # imported by the kernel factory before the document ran
    names = text.split("names: ", 1)[1].split("\n", 1)[0].split()
    assert "pandas" not in names and "names" not in names
    # What any fresh IPython kernel holds, and the document's own `sys`.
    assert set(names) <= {"In", "Out", "exit", "get_ipython", "open", "quit", "sys"}
    assert "imported: pandas" in text
