"""The sample class of ps1_dense_by_hand: answers, and the points each test must give."""

ASSIGNMENT = "ps1_dense_by_hand"

SOLVED = {
    "affine": "def affine(x, kernel, bias):\n    return np.dot(x, kernel) + bias",
    "dense_forward": "def dense_forward(x, kernel, bias, activation=None):\n"
                     "    z = np.dot(x, kernel) + bias\n"
                     "    if activation == 'relu':\n        return np.where(z > 0, z, 0.0)\n"
                     "    if activation == 'sigmoid':\n        return 1 / (1 + np.exp(-z))\n"
                     "    return z",
    "to_keras_weights": "def to_keras_weights(weight, bias):\n"
                        "    return [weight.detach().numpy().transpose(), bias.detach().numpy()]",
}
PARTLY_SOLVED = {
    "affine": SOLVED["affine"],
    # tanh is not the sigmoid: 2 of 3 points
    "dense_forward": "def dense_forward(x, kernel, bias, activation=None):\n"
                     "    z = np.dot(x, kernel) + bias\n"
                     "    if activation == 'relu':\n        return np.maximum(z, 0)\n"
                     "    if activation == 'sigmoid':\n        return np.tanh(z)\n"
                     "    return z",
    # PyTorch's layout kept: the shapes are wrong
    "to_keras_weights": "def to_keras_weights(weight, bias):\n"
                        "    return [weight.detach().numpy(), bias.detach().numpy()]",
}
WRONG = {
    "affine": "def affine(x, kernel, bias):\n    return x @ kernel.T + bias",
    # relu whatever the activation: 1 of 3 points
    "dense_forward": "def dense_forward(x, kernel, bias, activation=None):\n"
                     "    return np.maximum(x @ kernel + bias, 0)",
    "to_keras_weights": SOLVED["to_keras_weights"],
}

# student -> (answers, points per test)
SAMPLE_CLASS = {
    "alice": (SOLVED, {"test_affine": 2.0, "test_dense_forward": 3.0,
                       "test_to_keras_weights": 2.0}),
    "bob": (PARTLY_SOLVED, {"test_affine": 2.0, "test_dense_forward": 2.0,
                            "test_to_keras_weights": 0.0}),
    "carol": ({}, {"test_affine": 0.0, "test_dense_forward": 0.0, "test_to_keras_weights": 0.0}),
    "dave": (WRONG, {"test_affine": 0.0, "test_dense_forward": 1.0,
                     "test_to_keras_weights": 2.0}),
}
