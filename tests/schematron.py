"""A minimal ISO Schematron runner for the tests, on elementpath's XPath 2.0.

Why our own: the TBX-Basic rules use queryBinding="xslt2" (``matches()``), which lxml's
XSLT-1 isoschematron cannot run, and the PyPI package "pyschematron" served here is an
empty placeholder. This runner implements what those rules use: patterns, rules whose
context is an XSLT match pattern (elements or attributes), first matching rule per node
and pattern, and asserts. It is checked against LTAC's own good/bad pair of files.
"""

from __future__ import annotations

from pathlib import Path

import elementpath
from lxml import etree

SCH = "{http://purl.oclc.org/dsdl/schematron}"


def validate(doc: etree._ElementTree, schema: Path) -> list[str]:
    """Failed assertions as "line N: message" strings (empty when the document is valid)."""
    sch = etree.parse(str(schema)).getroot()
    ns = {n.get("prefix"): n.get("uri") for n in sch.iter(f"{SCH}ns")}
    parser = elementpath.XPath2Parser(namespaces=ns)
    tree = elementpath.get_node_tree(doc)  # built once: contexts below share it
    failures: list[str] = []
    for pattern in sch.iter(f"{SCH}pattern"):
        claimed: set[int] = set()  # a node is checked by the first rule of a pattern only
        for rule in pattern.iter(f"{SCH}rule"):
            context = rule.get("context")
            selector = parser.parse(context if context.startswith("/") else "//" + context)
            asserts = [
                (parser.parse(f"boolean({a.get('test')})"), a) for a in rule.iter(f"{SCH}assert")
            ]
            for node in selector.get_results(elementpath.XPathContext(tree)):
                if id(node) in claimed:
                    continue
                claimed.add(id(node))
                for test, check in asserts:
                    if not test.evaluate(elementpath.XPathContext(tree, item=node)):
                        line = getattr(getattr(node, "elem", None), "sourceline", None)
                        failures.append(f"line {line}: {' '.join(check.itertext()).strip()}")
    return failures
