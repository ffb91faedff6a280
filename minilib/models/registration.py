"""Register a model's layers with torch, so `parameters()` and `state_dict()` see them.

Each layer is registered under its own name, so `state_dict()` keys read
`dense.kernel`, `dense_1.bias`, ... A name torch cannot use as an attribute
(it clashes with a method such as `output`) gets a trailing underscore, and a dot,
which torch reserves for paths (`mobilenetv2_0.35_224`), becomes an underscore.
"""


def register_layers(model, layers):
    """Register `layers` as submodules of `model`; layer names must be unique."""
    seen = {}
    for layer in layers:
        if layer.name in seen and seen[layer.name] is not layer:
            raise ValueError(f"Model '{model.name}' has two different layers named "
                             f"'{layer.name}'. Layer names in a model must be unique.")
        seen[layer.name] = layer
        if not any(existing is layer for existing in model._modules.values()):
            model.add_module(module_key(model, layer.name), layer)


def unregister_layer(model, layer):
    """Remove `layer` from `model`'s submodules."""
    for key, existing in list(model._modules.items()):
        if existing is layer:
            del model._modules[key]


def module_key(model, name):
    key = name.replace(".", "_")
    while key in model._modules or hasattr(type(model), key) or key in model.__dict__:
        key += "_"
    return key
