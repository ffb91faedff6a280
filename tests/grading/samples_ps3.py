"""The sample class of ps3_mlp_digits: answers, and the points each test must give."""

ASSIGNMENT = "ps3_mlp_digits"

RECORDER_HEAD = ("class ValAccuracyRecorder(keras.callbacks.Callback):\n"
                 "    def __init__(self, target):\n"
                 "        super().__init__()\n"
                 "        self.target = target\n        self.accuracies = []\n\n")
SOLVED = {
    "build_model": "def build_model():\n"
                   "    model = keras.Sequential([keras.Input(shape=(64,)),\n"
                   "                              keras.layers.Dense(128, activation='relu'),\n"
                   "                              keras.layers.Dense(10, activation='softmax')])\n"
                   "    model.compile(optimizer=keras.optimizers.Adam(5e-3),\n"
                   "                  loss='sparse_categorical_crossentropy',\n"
                   "                  metrics=['accuracy'])\n"
                   "    return model",
    "recorder": RECORDER_HEAD +
    "    def on_epoch_end(self, epoch, logs=None):\n"
    "        accuracy = logs['val_accuracy']\n"
    "        self.accuracies.append(accuracy)\n"
    "        self.model.stop_training = accuracy >= self.target",
    "train": "model = build_model()\n"
             "recorder = ValAccuracyRecorder(target=1.0)\n"
             "history = model.fit(x_train, y_train, epochs=epochs,\n"
             "                    validation_data=(x_val, y_val), callbacks=[recorder],\n"
             "                    verbose=0)",
}
PARTLY_SOLVED = {
    "build_model": SOLVED["build_model"],
    # records, never stops (1 of 2 points)
    "recorder": RECORDER_HEAD +
    "    def on_epoch_end(self, epoch, logs=None):\n"
    "        self.accuracies.append(logs['val_accuracy'])",
    # trained on 50 examples for one epoch: far from 0.90 (1 of 3 points)
    "train": "model = build_model()\n"
             "recorder = ValAccuracyRecorder(target=1.0)\n"
             "history = model.fit(x_train[:50], y_train[:50], epochs=1,\n"
             "                    validation_data=(x_val, y_val), callbacks=[recorder],\n"
             "                    verbose=0)",
}
WRONG = {
    # a linear model, learning far too slowly; runs, so Q1 passes
    "build_model": "def build_model():\n"
                   "    model = keras.Sequential([keras.Input(shape=(64,)),\n"
                   "                              keras.layers.Dense(10)])\n"
                   "    model.compile(optimizer=keras.optimizers.SGD(1e-4),\n"
                   "                  loss=keras.losses.SparseCategoricalCrossentropy("
                   "from_logits=True),\n"
                   "                  metrics=['accuracy'])\n"
                   "    return model",
    # training accuracy, not validation accuracy
    "recorder": RECORDER_HEAD +
    "    def on_epoch_end(self, epoch, logs=None):\n"
    "        self.accuracies.append(logs['accuracy'])\n"
    "        if logs['accuracy'] >= self.target:\n"
    "            self.model.stop_training = True",
    "train": SOLVED["train"],
}

# student -> (answers, points per test)
SAMPLE_CLASS = {
    "alice": (SOLVED, {"test_build_model": 2.0, "test_recorder": 2.0, "test_train": 3.0}),
    "bob": (PARTLY_SOLVED, {"test_build_model": 2.0, "test_recorder": 1.0, "test_train": 1.0}),
    "carol": ({}, {"test_build_model": 0.0, "test_recorder": 0.0, "test_train": 0.0}),
    "dave": (WRONG, {"test_build_model": 2.0, "test_recorder": 0.0, "test_train": 1.0}),
}
