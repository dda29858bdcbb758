"""The type stub (`magvar/__init__.pyi`, written by hand) against the
package as it runs: every public function and method it declares exists
with the same parameters, in the same order, of the same kind, with the
same defaults, so that the stub cannot drift from the code."""

import ast
import inspect
import pathlib

import pytest

import magvar

STUB = pathlib.Path(magvar.__file__).with_name("__init__.pyi")


def stub_functions():
    """(qualified name, ast function) for each def in the stub, top level
    and in classes, private ones left out."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and (
                    item.name == "__init__" or not item.name.startswith("_")
                ):
                    found.append((f"{node.name}.{item.name}", item))
    return found


def stub_parameters(function):
    """(name, kind, default) per parameter, as `inspect` names the kinds;
    a default the stub writes as `...` is not compared (None)."""
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = []
    for index, (arg, default) in enumerate(zip(positional, defaults)):
        kind = "POSITIONAL_ONLY" if index < len(args.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        out.append((arg.arg, kind, default))
    if args.vararg:
        out.append((args.vararg.arg, "VAR_POSITIONAL", None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append((arg.arg, "KEYWORD_ONLY", default))
    if args.kwarg:
        out.append((args.kwarg.arg, "VAR_KEYWORD", None))
    return out


def literal(node):
    if node is None:
        return inspect.Parameter.empty
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return None  # not compared
    return ast.literal_eval(node)


def runtime_object(name):
    """The object the stub's `name` stands for: a class's own attribute
    (a property or a compiled getter stays a descriptor), and for the
    constructor of a compiled class, the class (whose signature is the
    constructor's, without `self`)."""
    if "." not in name:
        return getattr(magvar, name)
    class_name, attribute = name.split(".")
    cls = getattr(magvar, class_name)
    if attribute == "__init__" and cls.__init__ is object.__init__:
        return cls
    for klass in cls.__mro__:
        if attribute in vars(klass):
            return vars(klass)[attribute]
    raise AttributeError(name)


def is_property(value):
    return isinstance(value, property) or inspect.isgetsetdescriptor(value)


DECLARED = stub_functions()


@pytest.mark.parametrize("name,function", DECLARED, ids=[name for name, _ in DECLARED])
def test_the_stub_matches_the_package(name, function):
    target = runtime_object(name)
    declared_property = any(
        isinstance(d, ast.Name) and d.id == "property" for d in function.decorator_list
    )
    assert declared_property == is_property(target), (
        f"{name}: a property in the stub {declared_property}, at run time {is_property(target)}"
    )
    if declared_property:
        return
    signature = inspect.signature(target)
    runtime = [(p.name, p.kind.name, p.default) for p in signature.parameters.values()]
    stub = stub_parameters(function)
    if inspect.isclass(target):
        # The compiled class's signature is its constructor's without self.
        stub = [parameter for parameter in stub if parameter[0] != "self"]
    assert [(n, k) for n, k, _ in stub] == [(n, k) for n, k, _ in runtime], name
    for (parameter, _, stub_default), (_, _, default) in zip(stub, runtime):
        expected = literal(stub_default)
        if expected is None and stub_default is not None:
            continue  # `...` in the stub
        assert expected == default or (expected is None and default is None), (
            f"{name}({parameter}): the stub says {expected!r}, the package {default!r}"
        )


def test_every_public_function_is_in_the_stub():
    declared = {name for name, _ in DECLARED}
    public = {
        name
        for name, value in vars(magvar).items()
        if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == "magvar"
    }
    assert public <= declared, f"missing from the stub: {sorted(public - declared)}"
