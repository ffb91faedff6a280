"""Image helpers shared by the image layers: layouts, resizing and affine warps.

minilib images are channels_last, `(batch, height, width, channels)`, as in
Keras; torch's image functions want channels_first, `(batch, channels, height,
width)`. `to_nchw` and `from_nchw` convert between the two and also accept a
single image `(height, width, channels)`.

`affine_transform` warps every image of a batch with its own 2x3 matrix `A`,
given in *pixel* coordinates measured from the image centre: the output pixel
at `(u, v)` (column, row) takes its value from the input at `A @ (u, v, 1)`.
Torch's `affine_grid` wants the same map in coordinates scaled to [-1, 1],
where the centre of pixel `i` along a side of `n` pixels is `(2i + 1) / n - 1`
(`align_corners=False`), so `A` is rescaled by `(n / 2)` per side.

Keras's fill modes for points that land outside the input:

- "reflect" (d c b a | a b c d | d c b a): torch's "reflection" padding, exact.
- "nearest" (a a a a | a b c d | d d d d): torch's "border" padding, exact.
- "constant" (k k k k | a b c d | k k k k): exact. A constant `k` is added where
  a ones-image warped with zero padding shows the output falls outside.
- "wrap" (a b c d | a b c d | a b c d): approximate. The sampling grid is
  wrapped around, so only the interpolation across the seam differs.
"""

import torch
import torch.nn.functional as F

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("bilinear", "nearest")


def standardize_data_format(data_format, layer_name):
    """`None` means channels_last; anything else must be one of the two layouts."""
    data_format = data_format or "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Layer '{layer_name}': data_format must be 'channels_last' or "
                         f"'channels_first', got {data_format!r}.")
    return data_format


def to_nchw(images, data_format, layer_name):
    """A float batch in channels_first layout, and whether a batch axis was added."""
    if images.ndim not in (3, 4):
        raise ValueError(f"Layer '{layer_name}' expected an image (3 dimensions) or a batch "
                         f"of images (4 dimensions), got an input of shape "
                         f"{tuple(images.shape)}.")
    single = images.ndim == 3
    images = images.unsqueeze(0) if single else images
    images = images if images.is_floating_point() else images.float()
    return (images.permute(0, 3, 1, 2) if data_format == "channels_last" else images), single


def from_nchw(images, data_format, single):
    """Undo `to_nchw`."""
    images = images.permute(0, 2, 3, 1) if data_format == "channels_last" else images
    return images.squeeze(0) if single else images


def resize(images, size, interpolation="bilinear", crop_to_aspect_ratio=False):
    """Resize a channels_first batch to `size = (height, width)`, like Keras's resize.

    "nearest" uses torch's "nearest-exact" (pixel centres, as TensorFlow does);
    `crop_to_aspect_ratio` first takes the largest centred window of the target
    aspect ratio, so the image is not distorted.
    """
    height, width = images.shape[-2:]
    if crop_to_aspect_ratio:
        crop_height = max(min(height, int(width * size[0] / size[1])), 1)
        crop_width = max(min(width, int(height * size[1] / size[0])), 1)
        top, left = (height - crop_height) // 2, (width - crop_width) // 2
        images = images[..., top:top + crop_height, left:left + crop_width]
    mode = "nearest-exact" if interpolation == "nearest" else interpolation
    corners = False if mode in ("bilinear", "bicubic") else None
    return F.interpolate(images, size=tuple(size), mode=mode, align_corners=corners)


def affine_transform(images, matrices, interpolation="bilinear", fill_mode="reflect",
                     fill_value=0.0):
    """Warp a channels_first batch, image `i` with `matrices[i]` (see the module doc)."""
    batch, _, height, width = images.shape
    scale = images.new_tensor([width / 2.0, height / 2.0])
    theta = matrices.to(images.dtype).clone()
    theta[:, :, :2] = theta[:, :, :2] * scale[None, None, :] / scale[None, :, None]
    theta[:, :, 2] = theta[:, :, 2] / scale
    grid = F.affine_grid(theta, (batch, 1, height, width), align_corners=False)
    if fill_mode == "wrap":
        grid = torch.remainder(grid + 1.0, 2.0) - 1.0
    padding = {"reflect": "reflection", "nearest": "border", "wrap": "border"}.get(
        fill_mode, "zeros")
    outputs = F.grid_sample(images, grid, mode=interpolation, padding_mode=padding,
                            align_corners=False)
    if fill_mode == "constant" and fill_value:
        inside = F.grid_sample(torch.ones_like(images[:, :1]), grid, mode=interpolation,
                               padding_mode="zeros", align_corners=False)
        outputs = outputs + (1.0 - inside) * fill_value
    return outputs
