"""Bad arguments are refused with Keras's exception and a message that says what to change."""

import pytest

import minilib
from minilib import applications
from tests.applications import cases

# One pattern per entry of cases.BAD_ARGUMENTS, in order.
MESSAGES = [
    r"input_shape must be \(224, 224, 3\).*include_top=False",
    r"classes must be 1000, got classes=10",
    r"weights='no/such/file.h5' \(no such file\)",
    r"at least 32x32, got input_shape=\(16, 16, 3\)",
    r"tuple of three integers",
    r"at least 71x71",
    r"need 3 input channels",
    r"alpha in \(0.35, 0.5, 0.75, 1.0, 1.3, 1.4\), got alpha=0.6",
    r"classifier_activation must be None or 'softmax', got classifier_activation='relu'",
    r"input size must be fixed",
]


@pytest.mark.parametrize(("function_name", "kwargs", "message"),
                         [(*case, message) for case, message in zip(cases.BAD_ARGUMENTS,
                                                                    MESSAGES, strict=True)])
def test_bad_arguments_are_refused(function_name, kwargs, message, monkeypatch):
    # Refused before any download: a download would fail loudly here.
    monkeypatch.setattr(applications.imagenet_utils, "get_file", None)
    with pytest.raises(ValueError, match=message):
        getattr(applications, function_name)(**kwargs)


@pytest.mark.slow
def test_keras_refuses_the_same_arguments_with_the_same_exception(keras_small):
    _, report = keras_small
    assert report["refusals"] == ["ValueError"] * len(cases.BAD_ARGUMENTS)


def test_input_tensor_must_be_symbolic():
    with pytest.raises(ValueError, match="input_tensor must be a symbolic tensor"):
        applications.MobileNetV2(weights=None, input_tensor=[1.0, 2.0])


def test_unusual_channel_count_warns_as_in_keras():
    with pytest.warns(UserWarning, match="expects 1 or 3 input channels"):
        model = applications.MobileNetV2(weights=None, alpha=0.35, include_top=False,
                                         input_shape=(32, 32, 4))
    assert model.input.shape == (None, 32, 32, 4)


def test_lazy_attribute_of_the_package():
    assert minilib.applications.DenseNet121 is applications.densenet.DenseNet121
