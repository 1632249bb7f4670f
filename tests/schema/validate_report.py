#!/usr/bin/env python3
"""Validates gloss JSON reports against cli/schema/*.schema.json.

Usage: validate_report.py SCHEMA_DIR REPORT.json...
The schema is chosen by each report's own "schema" and "schema_version" fields
(gloss.analysis 2 -> gloss.analysis.v2.schema.json). Prints every violation with its JSON
path. Exit status: 0 every report is valid; 1 a report is invalid; 2 usage error, or
a report or schema that cannot be read; 3 no jsonschema module (4.0 or later).
"""
import json
import pathlib
import sys

try:
    import jsonschema
    jsonschema.Draft202012Validator  # draft 2020-12 came with jsonschema 4.0
except (ImportError, AttributeError):
    print("validate_report: needs the Python module jsonschema 4.0 or later (Debian: apt-get install "
          "python3-jsonschema)", file=sys.stderr)
    sys.exit(3)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def schema_store(schema_dir):
    """Every schema in the folder by its $id (gloss.master refers to gloss.analysis)."""
    store = {}
    for path in sorted(pathlib.Path(schema_dir).glob("*.schema.json")):
        schema = load(path)
        jsonschema.Draft202012Validator.check_schema(schema)
        store[schema["$id"]] = (path.name, schema)
    return store


def validator_for(store, schema):
    try:  # jsonschema 4.18 and later resolve references through a registry
        import referencing
    except ImportError:  # Debian 12's jsonschema (4.10) through a RefResolver
        resolver = jsonschema.RefResolver.from_schema(schema, store={k: v for k, (_, v) in store.items()})
        return jsonschema.Draft202012Validator(schema, resolver=resolver)
    registry = referencing.Registry().with_resources(
        (uri, referencing.Resource.from_contents(s)) for uri, (_, s) in store.items())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def where(error):
    return "/" + "/".join(str(p) for p in error.absolute_path)


def nearest(error):
    """For a oneOf failure, the error that explains it: the alternative with the fewest
    errors (a failed track fails the measured-track alternative in many ways), rather one
    of the right type (a sha256 that is not null), then its error deepest in the document."""
    while error.context:
        alternatives = {}
        for e in error.context:
            alternatives.setdefault(e.relative_schema_path[0], []).append(e)
        depth = lambda e: len(e.absolute_path)
        wrong_type = lambda errors: all(e.validator in ("type", "const") for e in errors)
        best = min(alternatives.values(), key=lambda errors: (len(errors), wrong_type(errors), -max(map(depth, errors))))
        error = max(best, key=depth)
    return error


def describe(error):
    """The JSON path and the message, without the whole offending object."""
    error = nearest(error)
    message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
    return f"{where(error)}: {message}"


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        store = schema_store(argv[1])
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"validate_report: {argv[1]}: a schema cannot be used: {e}", file=sys.stderr)
        return 2
    by_name = {n.removesuffix(".schema.json"): s for n, s in store.values()}
    status = 0
    for report in argv[2:]:
        try:
            document = load(report)
        except (OSError, ValueError) as e:
            print(f"validate_report: {report}: cannot be read as JSON: {e}", file=sys.stderr)
            return 2
        name = f"{document.get('schema')}.v{document.get('schema_version')}" if isinstance(document, dict) else "?"
        schema = by_name.get(name)
        if schema is None:
            print(f"{report}: no schema {name}.schema.json in {argv[1]} (schema and schema_version name it)")
            status = 1
            continue
        errors = sorted(validator_for(store, schema).iter_errors(document), key=lambda e: list(e.absolute_path))
        for e in errors:
            print(f"{report}: {describe(e)}")
        if errors:
            status = 1
        else:
            print(f"{report}: valid {name}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
