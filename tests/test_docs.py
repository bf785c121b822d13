"""The repository carries what its documents rely on: no document points outside it, and
every source the rules, the ODD and the patterns cite has a full reference.

(``test_readme_commands.test_make_test_runs_the_suite`` runs this file through ``make
test`` and counts its ``def test_`` lines: keep its tests unparametrised.)"""

import re
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CITATION.cff", ROOT / "codemeta.json",
        *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "app").rglob("*.md")),
        *sorted((ROOT / "benchmarks").rglob("*.md")), *sorted((ROOT / "results").glob("*/*.md")),
        *sorted((ROOT / "notebooks").glob("*.ipynb")),
        *sorted((ROOT / "experiments").rglob("*.py")),  # they write the reports
        *sorted((ROOT / "model").rglob("*.py"))]  # the rules' docstrings cite their sources
"""Every document, the code that writes the reports, and the model's docstrings."""

OUTSIDE = re.compile(r"(?<![\w.-])(?:\.\./)*shared/(?:PATTERNS|DESIGN|research)"
                     r"|(?<![\w.])/(?:work|home|root|Users)/")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_no_document_points_outside_the_repository():
    """No path outside the repository (the design notes it was written from, a home
    folder), and every relative link leads to a file or folder inside it."""
    wrong = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        wrong += [f"{where}: {m.group(0)!r}" for m in OUTSIDE.finditer(text)]
        for target in LINK.findall(text) if path.suffix != ".py" else ():
            if re.match(r"[a-z]+:|#", target):
                continue
            resolved = (path.parent / target.split("#")[0]).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                wrong.append(f"{where}: link ({target})")
    assert not wrong, "\n".join(wrong)
    assert len(DOCS) > 20


NAME = r"[A-Z][A-Za-zéèöüçñ'’\-]+"
CITATION = re.compile(rf"{NAME}(?:(?:,| &| and) (?:{NAME} )?{NAME})*(?: et al\.?)?,? "
                      r"\(?((?:19|20)\d\d)\b")


def _references() -> list[str]:
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    return [line for line in odd.split("## 9. References")[1].splitlines()
            if line.startswith("- ")]


def test_every_source_cited_has_a_full_reference():
    """Each "Author (et al.) YEAR" in the rules' docstrings, the experiments, the ODD, the
    pattern list and the README is a reference of ODD §9 (author, year, title, journal),
    one of whose authors it names."""
    references = _references()
    assert len(references) > 100
    texts = [ROOT / "README.md", ROOT / "docs" / "ODD.md", ROOT / "docs" / "PATTERNS.md",
             ROOT / "docs" / "FINDINGS.md", ROOT / "app" / "about.md",
             *sorted((ROOT / "model").rglob("*.py")),
             *sorted((ROOT / "experiments").rglob("*.py"))]
    missing = set()
    for path in texts:
        text = path.read_text(encoding="utf-8").split("## 9. References")[0]
        for match in CITATION.finditer(text):
            year = match.group(1)
            names = {n.removesuffix("'s") for n in re.findall(NAME, match.group(0))}
            if not any(year in ref and any(n in ref for n in names) for ref in references):
                missing.add(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not missing, "\n".join(sorted(missing))


def test_every_reference_has_a_year_and_a_title():
    for reference in _references():
        assert re.search(r"\(\d{4}\)|\b(19|20)\d\d\b", reference), reference
        assert len(reference) > 40, reference


def test_the_students_rule_finder_names_rules_that_exist_where_they_are_called():
    """Every rule in the students' table "Find a rule by what it does" exists in
    ``model/rules/``, a file its row names as the caller calls it (a row names the phase
    by its module in ``model/phases/`` or a path under ``model/``), and every constant
    its row names is one of its rules' modules' and read by one of its rules."""
    import importlib
    import inspect

    table = (ROOT / "docs" / "STUDENTS.md").read_text(encoding="utf-8").split(
        "### Find a rule by what it does")[1].split("\n## ")[0]
    rows = [line.split("|")[2:5] for line in table.splitlines()
            if line.startswith("| ") and "`" in line.split("|")[2]]
    assert len(rows) >= 25
    wrong = []
    for rules, constants, called_in in rows:
        callers = [ROOT / "model" / (name if "/" in name or name.endswith(".py")
                                     else f"phases/{name}.py")
                   for name in re.findall(r"`([\w/]+(?:\.py)?)`", called_in)]
        callers = [path for path in callers if path.exists()]
        if not callers:
            wrong.append(f"no caller file found in {called_in.strip()!r}")
        functions = []
        for module, function in re.findall(r"`(\w+)\.(\w+)`", rules):
            rule = getattr(importlib.import_module(f"model.rules.{module}"), function, None)
            if rule is None:
                wrong.append(f"{module}.{function} is not a rule")
                continue
            functions.append(inspect.getsource(rule))
            if not any(re.search(rf"\b{function}\b", path.read_text(encoding="utf-8"))
                       for path in callers):
                wrong.append(f"{module}.{function}: not called in {called_in.strip()!r}")
        for constant in re.findall(r"`(\w+)`", constants):
            if not any(re.search(rf"\b{constant}\b", source) for source in functions):
                wrong.append(f"{constant}: read by none of {rules.strip()}")
    assert not wrong, "\n".join(wrong)


def _numbers(value) -> list[float]:
    """Every number a constant holds (itself, or the numbers of its dict, tuple, list or
    numpy array)."""
    import numbers

    if isinstance(value, bool):
        return []
    if isinstance(value, numbers.Real):
        return [float(value)]
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (tuple, list)):
        return [x for item in value for x in _numbers(item)]
    return []


def _stale_docstrings() -> tuple[list[str], int]:
    """Each rule of ``model/rules/`` that reads a named constant either names it in its
    docstring (the number is then read in one place) or shows every one of its numbers, as
    often as the constants hold them: what is wrong, and how many constants were checked."""
    import ast
    import importlib

    superscript = str.maketrans({c: f" {d}" for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789",
                                                            strict=True)})
    wrong, checked = [], 0
    for path in sorted((ROOT / "model" / "rules").glob("*.py")):
        module = importlib.import_module(f"model.rules.{path.stem}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {node.targets[0].id for node in tree.body if isinstance(node, ast.Assign)
                     and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()}
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            doc = (ast.get_docstring(node) or "").translate(superscript)
            # each number as often as the constants hold it: a weight changed to the value
            # of another weight of the same equation no longer hides behind it
            shown = Counter(round(abs(float(x)), 6) for x in re.findall(r"\d*\.?\d+", doc))
            read = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in constants}
            unnamed = [name for name in sorted(read) if name not in doc]
            checked += len(read)
            held = Counter(round(abs(v), 6) for name in unnamed
                           for v in _numbers(getattr(module, name)))
            if held - shown:
                wrong.append(f"{path.stem}.{node.name}: its docstring neither names "
                             f"{', '.join(unnamed)} nor shows {sorted((held - shown).elements())}, "
                             "which they now hold: update the numbers of its equation (and "
                             "ODD §7's), or name the constant")
    return wrong, checked


def test_a_rules_docstring_names_each_constant_it_uses_or_shows_its_numbers():
    """So changing a constant without the docstring fails here: a docstring's equation
    cannot silently keep an old number."""
    wrong, checked = _stale_docstrings()
    assert checked > 60
    assert not wrong, "\n".join(wrong)


def test_the_docstring_guard_sees_a_weight_changed_to_another_s_value_and_arrays(
        monkeypatch):
    """A weight changed to the value another weight of its equation has (exhaustion's 0.2
    to low satisfaction's 0.15), and a weight in a numpy array, are both caught."""
    from model.rules import experiences, turnover

    monkeypatch.setitem(turnover.INTENTION_WEIGHTS, "exhaustion", 0.15)
    wrong, _ = _stale_docstrings()
    assert any(w.startswith("turnover.intention_target:") for w in wrong), wrong
    monkeypatch.setitem(turnover.INTENTION_WEIGHTS, "exhaustion", 0.2)
    monkeypatch.setattr(experiences, "CLIMATE_WEIGHT", np.array([0.8, 0.2, 0.1]))
    wrong, _ = _stale_docstrings()
    assert any(w.startswith("experiences.") and "CLIMATE_WEIGHT" in w for w in wrong), wrong


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to
    hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _headings(document: Path) -> set[str]:
    text = document.read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)  # not code's comments
    return {_slug(line.lstrip("#")) for line in prose.splitlines() if line.startswith("#")}


def test_every_link_within_a_page_leads_to_one_of_its_headings():
    """The README's "On this page", the findings' and the ODD's "Reading this file" link
    to headings that exist (a heading renamed breaks its link silently otherwise), and so
    does every link from one document to a heading of another."""
    for document in ("README.md", "docs/ODD.md", "docs/FINDINGS.md"):
        text = (ROOT / document).read_text(encoding="utf-8")
        links = re.findall(r"\]\(#([^)]+)\)", text)
        assert len(links) >= 5, document
        assert not [link for link in links if link not in _headings(ROOT / document)], document
    wrong = []
    for path in DOCS:
        if path.suffix != ".md":
            continue
        for target, anchor in re.findall(r"\]\(([^)#\s]+\.md)#([^)\s]+)\)",
                                         path.read_text(encoding="utf-8")):
            if anchor not in _headings((path.parent / target).resolve()):
                wrong.append(f"{path.relative_to(ROOT)}: {target}#{anchor}")
    assert not wrong, "\n".join(wrong)
