"""load_img, img_to_array, array_to_img, save_img and smart_resize on small files.

`tests/preprocessing/test_preprocessing_vs_keras.py` compares them with real Keras;
these tests check the behaviour a student relies on, quickly.
"""

import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from minilib.utils import array_to_img, img_to_array, load_img, save_img
from minilib.utils.image_utils import smart_resize

RED, BLUE = (255, 0, 0), (0, 0, 255)


@pytest.fixture
def pixels():
    return np.random.RandomState(0).randint(0, 256, size=(5, 7, 3)).astype("uint8")


def test_save_then_load_gives_the_pixels_back(tmp_path, pixels):
    save_img(tmp_path / "image.png", pixels, scale=False)
    image = load_img(tmp_path / "image.png")
    assert image.size == (7, 5) and image.mode == "RGB"  # Pillow says (width, height)
    array = img_to_array(image)
    assert array.shape == (5, 7, 3) and array.dtype == np.float32
    np.testing.assert_array_equal(array, pixels)
    gray = img_to_array(load_img(str(tmp_path / "image.png"), color_mode="grayscale"))
    assert gray.shape == (5, 7, 1)


def test_load_img_reads_bytes_paths_and_in_memory_files(tmp_path, pixels):
    Image.fromarray(pixels).save(tmp_path / "image.png")
    from_bytes_path = load_img(str(tmp_path / "image.png").encode())
    from_memory = load_img(io.BytesIO((tmp_path / "image.png").read_bytes()))
    np.testing.assert_array_equal(np.asarray(from_bytes_path), np.asarray(from_memory))
    with pytest.raises(TypeError, match="load_img: path must be"):
        load_img(3)


def test_keep_aspect_ratio_crops_the_centre_instead_of_stretching(tmp_path):
    stripes = np.zeros((4, 8, 3), "uint8")
    stripes[:, :2], stripes[:, 2:6], stripes[:, 6:] = RED, BLUE, RED  # red edges, blue middle
    save_img(tmp_path / "wide.png", stripes, scale=False)
    cropped = img_to_array(load_img(tmp_path / "wide.png", target_size=(2, 2),
                                    keep_aspect_ratio=True))
    np.testing.assert_array_equal(cropped, np.broadcast_to(BLUE, (2, 2, 3)))
    stretched = img_to_array(load_img(tmp_path / "wide.png", target_size=(2, 2)))
    assert (stretched[:, 1] == RED).all()  # the red right edge is still there


def test_channels_first_and_dtype(pixels):
    image = Image.fromarray(pixels)
    array = img_to_array(image, data_format="channels_first", dtype="uint8")
    assert array.shape == (3, 5, 7) and array.dtype == np.uint8
    np.testing.assert_array_equal(array_to_img(array, data_format="channels_first",
                                               scale=False), pixels)


def test_array_to_img_stretches_values_to_0_255():
    ramp = np.linspace(-1.0, 1.0, 12).reshape(3, 4, 1)
    image = array_to_img(ramp)
    assert image.mode == "L"
    values = np.asarray(image)
    assert values.min() == 0 and values.max() == 255
    np.testing.assert_array_equal(values, ((ramp[..., 0] + 1) / 2 * 255).astype("uint8"))
    assert array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"


@pytest.mark.parametrize("call, message", [
    (lambda: array_to_img(np.zeros((2, 2))), "3 dimensions"),
    (lambda: array_to_img(np.zeros((2, 2, 2))), "1, 3 or 4 channels"),
    (lambda: img_to_array(np.zeros((1, 2, 2, 3))), "2 or 3 dimensions"),
    (lambda: img_to_array(np.zeros((2, 2)), data_format="NHWC"), "data_format"),
    (lambda: smart_resize(np.zeros((4, 4)), (2, 2)), "smart_resize: expected an image"),
    (lambda: smart_resize(np.zeros((4, 4, 1)), (2, 2), interpolation="lanczos3"), "Lanczos"),
])
def test_errors_say_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_load_img_refuses_unknown_modes(tmp_path, pixels):
    Image.fromarray(pixels).save(tmp_path / "image.png")
    with pytest.raises(ValueError, match="color_mode"):
        load_img(tmp_path / "image.png", color_mode="cmyk")
    with pytest.raises(ValueError, match="interpolation"):
        load_img(tmp_path / "image.png", target_size=(2, 2), interpolation="area")


def test_save_img_jpeg_drops_the_alpha_channel_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match="JPEG has no alpha"):
        save_img(tmp_path / "image.jpg", np.ones((4, 4, 4)) * 100, scale=False)
    assert load_img(tmp_path / "image.jpg").size == (4, 4)
    buffer = io.BytesIO()
    save_img(buffer, np.ones((4, 4, 3)), file_format="png")  # a file object needs the format
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_smart_resize_is_a_centre_crop_then_a_resize():
    images = np.random.RandomState(0).rand(2, 6, 10, 3).astype("float32")
    resized = smart_resize(images, (3, 3))
    centre = torch.from_numpy(images[:, :, 2:8]).permute(0, 3, 1, 2)  # the 6x6 middle
    expected = F.interpolate(centre, size=(3, 3), mode="bilinear", align_corners=False)
    assert isinstance(resized, np.ndarray)
    np.testing.assert_allclose(resized, expected.permute(0, 2, 3, 1).numpy(), rtol=1e-6,
                               atol=1e-6)


def test_smart_resize_keeps_tensors_and_integer_dtypes():
    tensor = torch.rand(8, 4, 1)
    assert isinstance(smart_resize(tensor, (2, 2)), torch.Tensor)
    image = np.full((8, 4, 3), 200, "uint8")
    resized = smart_resize(image, (3, 5), interpolation="bicubic")
    assert resized.dtype == np.uint8 and resized.shape == (3, 5, 3) and (resized == 200).all()
