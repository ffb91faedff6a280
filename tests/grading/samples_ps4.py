"""The sample class of ps4_small_cnn: answers, and the points each test must give."""

ASSIGNMENT = "ps4_small_cnn"

RIGHT_SHAPES = "shapes = [(6, 6, 16), (3, 3, 16), (2, 2, 32), (128,), (10,)]"


def cnn(padding, optimizer):
    """A build_model() answer: Q1's layers, with `padding` and `optimizer` (source text)."""
    return ("def build_model():\n"
            "    model = keras.Sequential([\n"
            "        keras.Input(shape=(8, 8, 1)),\n"
            f"        keras.layers.Conv2D(16, 3, activation='relu', padding='{padding}'),\n"
            "        keras.layers.MaxPooling2D(2),\n"
            f"        keras.layers.Conv2D(32, 2, activation='relu', padding='{padding}'),\n"
            "        keras.layers.Flatten(),\n"
            "        keras.layers.Dense(10, activation='softmax')])\n"
            f"    model.compile(optimizer={optimizer}, loss='sparse_categorical_crossentropy',\n"
            "                  metrics=['accuracy'])\n"
            "    return model\n\n")


SOLVED = {
    "build_model": cnn("valid", "keras.optimizers.Adam(1e-2)") + RIGHT_SHAPES,
    "conv2d_params": "def conv2d_params(kernel_size, channels, filters):\n"
                     "    height, width = kernel_size\n"
                     "    return height * width * channels * filters + filters",
    "train": "model = build_model()\n"
             "history = model.fit(x_train, y_train, epochs=epochs, verbose=0)",
}
PARTLY_SOLVED = {
    # the right model, but shapes as if convolutions kept the size (1 of 2 points, hidden)
    "build_model": cnn("valid", "keras.optimizers.Adam(1e-2)") +
    "shapes = [(8, 8, 16), (4, 4, 16), (4, 4, 32), (512,), (10,)]",
    # square kernels only: the visible test passes, the hidden one fails (1 of 2 points)
    "conv2d_params": "def conv2d_params(kernel_size, channels, filters):\n"
                     "    return kernel_size[0] ** 2 * channels * filters + filters",
    # every epoch, but on 50 images: far from 0.90 (1 of 3 points)
    "train": "model = build_model()\n"
             "history = model.fit(x_train[:50], y_train[:50], epochs=epochs, verbose=0)",
}
WRONG = {
    # 'same' padding and an optimizer far too slow; its shapes agree with it (1 of 2 points)
    "build_model": cnn("same", "keras.optimizers.SGD(1e-4)") +
    "shapes = [(8, 8, 16), (4, 4, 16), (4, 4, 32), (512,), (10,)]",
    # forgets the biases
    "conv2d_params": "def conv2d_params(kernel_size, channels, filters):\n"
                     "    return kernel_size[0] * kernel_size[1] * channels * filters",
    # trains every epoch, but the slow model stays near chance (1 of 3 points)
    "train": SOLVED["train"],
}

# student -> (answers, points per test)
SAMPLE_CLASS = {
    "alice": (SOLVED, {"test_shapes": 2.0, "test_conv2d_params": 2.0, "test_train": 3.0}),
    "bob": (PARTLY_SOLVED, {"test_shapes": 1.0, "test_conv2d_params": 1.0, "test_train": 1.0}),
    "carol": ({}, {"test_shapes": 0.0, "test_conv2d_params": 0.0, "test_train": 0.0}),
    "dave": (WRONG, {"test_shapes": 1.0, "test_conv2d_params": 0.0, "test_train": 1.0}),
}
