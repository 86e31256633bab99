#!/usr/bin/env python3
"""Validates schema files against reconcile's JSON Schema with an independent validator (jsonschema).

    validate-schema-files.py SCHEMA.json FILE.yaml...

Prints one line per file ("ok" or the first problems) and exits 1 if any file is invalid. YAML is read the
way editors (yaml-language-server, YAML 1.2) read it: only true/false are booleans and dates stay text,
unlike PyYAML's YAML 1.1 defaults, where `on`, `yes` and 2024-01-01 would change type.
"""
import json
import re
import sys

import jsonschema
import yaml


class CoreSchemaLoader(yaml.SafeLoader):
    pass


CoreSchemaLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def main(arguments):
    if len(arguments) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(arguments[0], encoding="utf-8") as file:
        schema = json.load(file)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failed = False
    for path in arguments[1:]:
        with open(path, encoding="utf-8") as file:
            try:
                document = yaml.load(file, Loader=CoreSchemaLoader)
            except yaml.YAMLError as error:
                failed = True
                print(f"{path}: not YAML a JSON Schema applies to: {error}".replace("\n", " "))
                continue
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
        if errors:
            failed = True
            for error in errors[:5]:
                location = "/".join(str(part) for part in error.absolute_path) or "(top)"
                print(f"{path}: invalid at {location}: {error.message}")
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
