#!/usr/bin/python3
"""oas_check.py — check JSON bodies against schemas of the 3GPP OpenAPI files.

usage: oas_check.py [-d SPECDIR] FILE.yaml SCHEMA DOC.json [DOC.json ...]
       oas_check.py [-d SPECDIR] -f CHECKS    (lines: FILE.yaml SCHEMA DOC.json)

SPECDIR defaults to tests/data/openapi beside this script's folder. Each
document is checked against components/schemas/SCHEMA of FILE.yaml; one line
per document (ok, or its first errors with their JSON paths); exit 0 when all
are valid, 1 when one is not, 2 on a usage error or a schema that cannot be
loaded (a missing file, bad YAML, a $ref to nothing).

How: OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable` and $refs
across files. Starting from the requested schemas we follow every $ref once,
load only the files reached (a YAML file is parsed once), rewrite each $ref to
a pointer into one combined document (files[NAME.yaml][pointer]),
turn `nullable: true` into an anyOf with null, and build one draft 4 validator
per requested schema. Everything runs in one process, so a batch of many
bodies pays for parsing the YAML once. Written for Debian 12's
python3-jsonschema (4.10) and python3-yaml; works with newer jsonschema too.
"""
import json
import os
import sys

import yaml
from jsonschema import Draft4Validator

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "..", "data", "openapi")


class SpecError(Exception):
    pass


class Specs:
    """The OpenAPI files of one directory, parsed on first use and merged
    into one document whose $refs all point inside it."""

    def __init__(self, specdir):
        self.dir = specdir
        self.raw = {}        # file name -> parsed YAML, untouched
        self.done = set()    # (file, pointer) already followed
        self.files = {}      # file name -> rewritten document

    def _raw(self, name):
        if name not in self.raw:
            path = os.path.join(self.dir, name)
            try:
                with open(path, encoding="utf-8") as fh:
                    self.raw[name] = yaml.load(fh, Loader=LOADER)
            except OSError as e:
                raise SpecError(f"{name}: cannot read: {e.strerror}")
            except yaml.YAMLError as e:
                raise SpecError(f"{name}: not valid YAML: {e}")
        return self.raw[name]

    def _node(self, name, pointer):
        node = self._raw(name)
        for part in pointer.strip("/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SpecError(f"{name}#{pointer}: no such schema")
        return node

    @staticmethod
    def _split(ref, here):
        target, _, pointer = ref.partition("#")
        return (target or here), pointer

    def _convert(self, node, here, todo):
        """A copy of node with $refs made local and nullable mapped; every
        ref target is queued on todo."""
        if isinstance(node, list):
            return [self._convert(v, here, todo) for v in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                name, pointer = self._split(v, here)
                todo.append((name, pointer))
                out[k] = self.local(name, pointer)
            else:
                out[k] = self._convert(v, here, todo)
        if out.pop("nullable", False) is True:
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    @staticmethod
    def local(name, pointer):
        """Where name#pointer lives in the merged document: files[name] maps
        each followed pointer (as one key) to its converted schema, so a
        schema wrapped for nullable never changes where another one is."""
        key = pointer.replace("~", "~0").replace("/", "~1")
        return f"#/files/{name.replace('~', '~0').replace('/', '~1')}/{key}"

    def need(self, name, pointer):
        """Make name#pointer and everything it refers to available."""
        todo = [(name, pointer)]
        while todo:
            f, p = todo.pop()
            if (f, p) in self.done:
                continue
            self.done.add((f, p))
            self.files.setdefault(f, {})[p] = self._convert(self._node(f, p), f, todo)

    def validator(self, name, schema):
        pointer = f"/components/schemas/{schema}"
        self.need(name, pointer)
        return lambda: Draft4Validator({"$ref": self.local(name, pointer),
                                        "files": self.files})


def main(argv):
    args = argv[1:]
    specdir = DEFAULT_DIR
    if len(args) >= 2 and args[0] == "-d":
        specdir, args = args[1], args[2:]
    checks = []
    if len(args) == 2 and args[0] == "-f":
        with open(args[1], encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                w = line.split()
                if not w or w[0].startswith("#"):
                    continue
                if len(w) != 3:
                    print(f"{args[1]}:{n}: want FILE.yaml SCHEMA DOC", file=sys.stderr)
                    return 2
                checks.append(tuple(w))
    elif len(args) >= 3:
        checks = [(args[0], args[1], d) for d in args[2:]]
    else:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2

    specs = Specs(specdir)
    makers = {}
    try:
        # follow every $ref of every requested schema before building any
        # validator: they all share the one merged document
        for y, s, _ in checks:
            if (y, s) not in makers:
                makers[(y, s)] = specs.validator(y, s)
    except SpecError as e:
        print(f"oas_check: {e}", file=sys.stderr)
        return 2
    validators = {k: mk() for k, mk in makers.items()}

    bad = 0
    for y, s, doc in checks:
        try:
            with open(doc, encoding="utf-8") as fh:
                inst = json.load(fh)
        except (OSError, ValueError) as e:
            bad += 1
            print(f"  {s}: {os.path.basename(doc)}: not readable JSON: {e}")
            continue
        errs = sorted(validators[(y, s)].iter_errors(inst),
                      key=lambda e: [str(x) for x in e.absolute_path])
        if errs:
            bad += 1
            print(f"  {s}: {os.path.basename(doc)}: {len(errs)} errors; " + "; ".join(
                "/" + "/".join(map(str, e.absolute_path)) + ": " + e.message[:160]
                for e in errs[:3]))
        else:
            print(f"  {s}: {os.path.basename(doc)}: ok")
    print(f"{len(checks) - bad} of {len(checks)} documents valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
