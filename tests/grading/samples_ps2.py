"""The sample class of ps2_custom_layer: answers, and the points each test must give."""

ASSIGNMENT = "ps2_custom_layer"

LAYER_HEAD = ('class ScaledDense(keras.layers.Layer):\n'
              '    def __init__(self, units, **kwargs):\n'
              '        super().__init__(**kwargs)\n        self.units = units\n\n')
SOLVED = {
    "scaled_dense": LAYER_HEAD +
    "    def build(self, input_shape):\n"
    "        n = input_shape[-1]\n"
    "        self.kernel = self.add_weight(shape=(n, self.units), initializer='glorot_uniform')\n"
    "        self.bias = self.add_weight(shape=(self.units,), initializer='zeros')\n"
    "        self.scale = self.add_weight(shape=(), initializer='ones')\n\n"
    "    def call(self, x):\n"
    "        return keras.ops.matmul(x, self.kernel) * self.scale + self.bias",
    "numerical_gradient": "def numerical_gradient(f, x, eps=1e-5):\n"
                          "    x = np.asarray(x, dtype=float)\n"
                          "    grad = np.empty_like(x)\n"
                          "    for i in range(x.size):\n"
                          "        e = np.zeros(x.size)\n        e[i] = eps\n"
                          "        e = e.reshape(x.shape)\n"
                          "        grad.flat[i] = (f(x + e) - f(x - e)) / (2 * eps)\n"
                          "    return grad",
    "autograd_gradient": "def autograd_gradient(f, x):\n"
                         "    t = torch.from_numpy(np.array(x, dtype=np.float64))\n"
                         "    t.requires_grad_(True)\n"
                         "    (grad,) = torch.autograd.grad(f(t), t)\n"
                         "    return grad.numpy()",
}
PARTLY_SOLVED = {
    # the bias is never used: its shape is right (1 of 3 points)
    "scaled_dense": SOLVED["scaled_dense"].replace(" + self.bias", ""),
    # correct for vectors only: the hidden test uses a matrix
    "numerical_gradient": "def numerical_gradient(f, x, eps=1e-5):\n"
                          "    x = np.asarray(x, dtype=float)\n"
                          "    grad = np.zeros_like(x)\n"
                          "    for i in range(len(x)):\n"
                          "        e = np.zeros_like(x)\n        e[i] = eps\n"
                          "        grad[i] = (f(x + e) - f(x - e)) / (2 * eps)\n"
                          "    return grad",
    "autograd_gradient": SOLVED["autograd_gradient"],
}
WRONG = {
    # kernel in PyTorch's layout (1 of 3 points: the weights are built lazily and trained)
    "scaled_dense": LAYER_HEAD +
    "    def build(self, input_shape):\n"
    "        n = input_shape[-1]\n"
    "        self.kernel = self.add_weight(shape=(self.units, n), initializer='glorot_uniform')\n"
    "        self.bias = self.add_weight(shape=(self.units,), initializer='zeros')\n"
    "        self.scale = self.add_weight(shape=(), initializer='ones')\n\n"
    "    def call(self, x):\n"
    "        return self.scale * keras.ops.matmul(x, keras.ops.transpose(self.kernel))"
    " + self.bias",
    "numerical_gradient": SOLVED["numerical_gradient"],
    # the value, not the gradient
    "autograd_gradient": "def autograd_gradient(f, x):\n"
                         "    return f(torch.tensor(x)).detach().numpy()",
}

# student -> (answers, points per test)
SAMPLE_CLASS = {
    "alice": (SOLVED, {"test_scaled_dense": 3.0, "test_numerical_gradient": 2.0,
                       "test_autograd_gradient": 2.0}),
    "bob": (PARTLY_SOLVED, {"test_scaled_dense": 1.0, "test_numerical_gradient": 0.0,
                            "test_autograd_gradient": 2.0}),
    "carol": ({}, {"test_scaled_dense": 0.0, "test_numerical_gradient": 0.0,
                   "test_autograd_gradient": 0.0}),
    "dave": (WRONG, {"test_scaled_dense": 1.0, "test_numerical_gradient": 2.0,
                     "test_autograd_gradient": 0.0}),
}
