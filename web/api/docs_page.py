"""A reference page of the API, rendered on the server from the OpenAPI document.

It needs no script or file from elsewhere, so it works on offline networks
where the usual OpenAPI viewers, loaded from a CDN, do not.
"""

from flask import render_template

from web.api.blueprint import blueprint, spec

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@blueprint.get("/docs")
def docs():
    """Show every operation with its parameters, body fields and responses."""
    document = spec.spec
    schemas = document["components"]["schemas"]
    operations = [
        _operation(path, method, operations[method], schemas)
        for path, operations in document["paths"].items()
        for method in METHOD_ORDER
        if method in operations
    ]
    return render_template("api/docs.html", document=document, operations=operations)


def _operation(path, method, operation, schemas):
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return {
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": [
            {
                "name": parameter["name"],
                "location": parameter["in"],
                "required": parameter.get("required", False),
                "type": type_text(parameter.get("schema", {}), schemas),
                "description": parameter["schema"].get("description", ""),
            }
            for parameter in operation.get("parameters", [])
        ],
        "fields": _fields(body["schema"], schemas) if body else [],
        "responses": sorted(operation.get("responses", {})),
    }


def _fields(reference, schemas):
    schema = _resolve(reference, schemas)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "required": name in required,
            "type": type_text(field, schemas),
            "description": field.get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _resolve(schema, schemas):
    reference = schema.get("$ref")
    if reference is None:
        return schema
    return schemas[reference.rsplit("/", 1)[-1]]


def type_text(schema, schemas):
    """Return a short text for a JSON schema, such as ``array of string``."""
    if "$ref" in schema:
        target = _resolve(schema, schemas)
        if "enum" in target:
            return " | ".join(str(value) for value in target["enum"])
        return target.get("title", "object")
    if "anyOf" in schema:
        return " | ".join(type_text(option, schemas) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {type_text(schema.get('items', {}), schemas)}"
    text = schema.get("type", "any")
    if "format" in schema:
        text = f"{text} ({schema['format']})"
    return text
