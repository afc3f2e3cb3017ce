#!/usr/bin/env python3
"""Writes tiny Keras 2 HDF5 model files for the model-import tests, without TensorFlow.

The files have the layout Keras 2.2 writes with model.save(): root attributes keras_version,
backend and model_config (JSON), and a model_weights group holding one group per layer whose
weight_names attribute lists its datasets (layer/layer/kernel:0, ...). Weights come from a seeded
generator, so running this again gives the same files.

Beside each importable model, <name>.expected.txt holds a batch of input images (NCHW, flattened)
and the class probabilities a Keras forward pass gives for them, computed here with numpy, so the
tests check that the import keeps the maths (channel order, flatten order, padding) and not just
that it runs.

Run from this folder: python3 make_fixtures.py   (needs python3-h5py and numpy)
"""
import json

import h5py
import numpy as np

KERAS_VERSION = "2.2.4"
BACKEND = "tensorflow"
H, W, C = 10, 10, 3
rng = np.random.default_rng(20240601)


def glorot(*shape):
    return rng.normal(0.0, 0.3, size=shape).astype(np.float32)


def conv_config(name, filters, padding, input_shape=None):
    config = {
        "name": name, "trainable": True, "dtype": "float32", "filters": filters,
        "kernel_size": [3, 3], "strides": [1, 1], "padding": padding,
        "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu",
        "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None,
    }
    if input_shape is not None:
        config["batch_input_shape"] = [None] + list(input_shape)
    return {"class_name": "Conv2D", "config": config}


def pool_config(name):
    return {"class_name": "MaxPooling2D", "config": {
        "name": name, "trainable": True, "dtype": "float32", "pool_size": [2, 2],
        "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}}


def flatten_config(name):
    return {"class_name": "Flatten", "config": {
        "name": name, "trainable": True, "dtype": "float32", "data_format": "channels_last"}}


def dense_config(name, units, activation):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units,
        "activation": activation, "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}


def write_h5(path, model_config, weights):
    """weights: list of (layer name, [(weight name, array), ...]) in layer order."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = KERAS_VERSION.encode()
        f.attrs["backend"] = BACKEND.encode()
        f.attrs["model_config"] = json.dumps(model_config).encode()
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = np.array([n.encode() for n, _ in weights])
        group.attrs["backend"] = BACKEND.encode()
        group.attrs["keras_version"] = KERAS_VERSION.encode()
        for layer_name, layer_weights in weights:
            layer_group = group.create_group(layer_name)
            names = [f"{layer_name}/{w}:0" for w, _ in layer_weights]
            layer_group.attrs["weight_names"] = np.array([n.encode() for n in names])
            for full_name, (_, value) in zip(names, layer_weights):
                layer_group.create_dataset(full_name, data=value)


# numpy forward pass with Keras semantics (NHWC) --------------------------------------------------
def conv(x, kernel, bias, padding):
    kh, kw = kernel.shape[:2]
    if padding == "same":
        x = np.pad(x, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, kernel.shape[3]), dtype=np.float64)
    for i in range(out.shape[1]):
        for j in range(out.shape[2]):
            patch = x[:, i:i + kh, j:j + kw, :]
            out[:, i, j, :] = np.tensordot(patch, kernel, axes=([1, 2, 3], [0, 1, 2]))
    return np.maximum(out + bias, 0.0)


def maxpool(x):
    n, h, w, c = x.shape
    x = x[:, :h // 2 * 2, :w // 2 * 2, :]
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def write_expected(path, images_nhwc, probabilities):
    with open(path, "w") as f:
        f.write(" ".join(str(d) for d in images_nhwc.transpose(0, 3, 1, 2).shape) + "\n")
        f.write(" ".join(repr(float(v)) for v in images_nhwc.transpose(0, 3, 1, 2).ravel()) + "\n")
        f.write(" ".join(str(d) for d in probabilities.shape) + "\n")
        f.write(" ".join(repr(float(v)) for v in probabilities.ravel()) + "\n")


images = rng.uniform(0.0, 1.0, size=(2, H, W, C)).astype(np.float32)

# 1. Sequential: conv(4, same) - maxpool - conv(6, valid) - flatten - dense(8) - dense(3 softmax)
k1, b1 = glorot(3, 3, C, 4), glorot(4)
k2, b2 = glorot(3, 3, 4, 6), glorot(6)
d1, c1 = glorot(3 * 3 * 6, 8), glorot(8)
d2, c2 = glorot(8, 3), glorot(3)
sequential = {"class_name": "Sequential", "config": {"name": "sequential_cnn", "layers": [
    conv_config("conv1", 4, "same", (H, W, C)), pool_config("pool1"),
    conv_config("conv2", 6, "valid"), flatten_config("flatten"),
    dense_config("fc1", 8, "relu"), dense_config("predictions", 3, "softmax")]}}
write_h5("sequential_cnn.h5", sequential, [
    ("conv1", [("kernel", k1), ("bias", b1)]), ("pool1", []),
    ("conv2", [("kernel", k2), ("bias", b2)]), ("flatten", []),
    ("fc1", [("kernel", d1), ("bias", c1)]), ("predictions", [("kernel", d2), ("bias", c2)])])
x = conv(maxpool(conv(images, k1, b1, "same")), k2, b2, "valid")
x = np.maximum(x.reshape(len(x), -1) @ d1 + c1, 0.0)
write_expected("sequential_cnn.expected.txt", images, softmax(x @ d2 + c2))


# 2. Functional: input - conv(5, same) - maxpool - flatten - dense(3 softmax)
def node(name):
    return [[[name, 0, 0, {}]]]


fk, fb = glorot(3, 3, C, 5), glorot(5)
fd, fc = glorot(5 * 5 * 5, 3), glorot(3)
functional_layers = [
    {"name": "image", "class_name": "InputLayer", "inbound_nodes": [], "config": {
        "batch_input_shape": [None, H, W, C], "dtype": "float32", "sparse": False,
        "name": "image"}},
    dict(conv_config("conv", 5, "same"), name="conv", inbound_nodes=node("image")),
    dict(pool_config("pool"), name="pool", inbound_nodes=node("conv")),
    dict(flatten_config("flatten"), name="flatten", inbound_nodes=node("pool")),
    dict(dense_config("predictions", 3, "softmax"), name="predictions",
         inbound_nodes=node("flatten")),
]
functional = {"class_name": "Model", "config": {
    "name": "functional_cnn", "layers": functional_layers,
    "input_layers": [["image", 0, 0]], "output_layers": [["predictions", 0, 0]]}}
write_h5("functional_cnn.h5", functional, [
    ("image", []), ("conv", [("kernel", fk), ("bias", fb)]), ("pool", []), ("flatten", []),
    ("predictions", [("kernel", fd), ("bias", fc)])])
x = maxpool(conv(images, fk, fb, "same"))
write_expected("functional_cnn.expected.txt", images, softmax(x.reshape(len(x), -1) @ fd + fc))

# 3. A layer DL4J cannot import: conv - ActivityRegularization - flatten - dense
unsupported = {"class_name": "Sequential", "config": {"name": "unsupported", "layers": [
    conv_config("conv1", 2, "valid", (H, W, C)),
    {"class_name": "ActivityRegularization", "config": {
        "name": "activity_regularization", "trainable": True, "dtype": "float32",
        "l1": 0.01, "l2": 0.0}},
    flatten_config("flatten"), dense_config("predictions", 3, "softmax")]}}
write_h5("unsupported_layer.h5", unsupported, [
    ("conv1", [("kernel", glorot(3, 3, C, 2)), ("bias", glorot(2))]),
    ("activity_regularization", []), ("flatten", []),
    ("predictions", [("kernel", glorot(8 * 8 * 2, 3)), ("bias", glorot(3))])])

# 4. Functional with a concatenation and global pooling, whose axes are channels-last:
#    input - conv(2, same) + conv(3, valid->same) - concatenate - global average pool - dense(3)
def layer(config, name, inbound):
    return dict(config, name=name, inbound_nodes=[[[i, 0, 0, {}] for i in inbound]])


ak, ab = glorot(3, 3, C, 2), glorot(2)
bk, bb = glorot(3, 3, C, 3), glorot(3)
gd, gc = glorot(5, 3), glorot(3)
concat_layers = [
    functional_layers[0],
    layer(conv_config("left", 2, "same"), "left", ["image"]),
    layer(conv_config("right", 3, "same"), "right", ["image"]),
    layer({"class_name": "Concatenate", "config": {
        "name": "merged", "trainable": True, "dtype": "float32", "axis": -1}}, "merged",
        ["left", "right"]),
    layer({"class_name": "GlobalAveragePooling2D", "config": {
        "name": "pooled", "trainable": True, "dtype": "float32",
        "data_format": "channels_last"}}, "pooled", ["merged"]),
    layer(dense_config("predictions", 3, "softmax"), "predictions", ["pooled"]),
]
concat_model = {"class_name": "Model", "config": {
    "name": "concat_pool_cnn", "layers": concat_layers,
    "input_layers": [["image", 0, 0]], "output_layers": [["predictions", 0, 0]]}}
write_h5("concat_pool_cnn.h5", concat_model, [
    ("image", []), ("left", [("kernel", ak), ("bias", ab)]),
    ("right", [("kernel", bk), ("bias", bb)]), ("merged", []), ("pooled", []),
    ("predictions", [("kernel", gd), ("bias", gc)])])
x = np.concatenate([conv(images, ak, ab, "same"), conv(images, bk, bb, "same")], axis=3)
write_expected("concat_pool_cnn.expected.txt", images, softmax(x.mean(axis=(1, 2)) @ gd + gc))

# 5. Depthwise, separable and transposed convolutions, as tf.keras 2.2.4 writes them (the layer
# configurations below are copied from real tf.keras files): input - conv(4, same) -
# depthwise(3x3, multiplier 2) - separable(5, 3x3) - conv-transpose(4, 2x2, stride 2) -
# global average pooling - dense(3 softmax), channels_last.
GLOROT = {"class_name": "GlorotUniform", "config": {"seed": None, "dtype": "float32"}}
ZEROS = {"class_name": "Zeros", "config": {"dtype": "float32"}}


def spatial_config(name, kind, kernel, strides, padding, extra):
    config = {"name": name, "trainable": True, "dtype": "float32", "kernel_size": list(kernel),
              "strides": list(strides), "padding": padding, "data_format": "channels_last",
              "dilation_rate": [1, 1], "activation": "relu", "use_bias": True,
              "bias_initializer": ZEROS, "bias_regularizer": None, "activity_regularizer": None,
              "bias_constraint": None}
    config.update(extra)
    return {"name": name, "class_name": kind, "config": config}


def depthwise(x, kernel, bias):
    """'same' padding, stride 1; output channel c * multiplier + m, as Keras orders it."""
    kh, kw, cin, mult = kernel.shape
    x = np.pad(x, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, cin * mult), dtype=np.float64)
    for i in range(out.shape[1]):
        for j in range(out.shape[2]):
            patch = x[:, i:i + kh, j:j + kw, :]  # n, kh, kw, cin
            for c in range(cin):
                for m in range(mult):
                    out[:, i, j, c * mult + m] = np.tensordot(
                        patch[:, :, :, c], kernel[:, :, c, m], axes=([1, 2], [0, 1]))
    return out + bias


def transpose2x2(x, kernel, bias):
    """Conv2DTranspose, kernel 2x2, stride 2, 'valid': kernel is [kh, kw, out, in]."""
    n, h, w, _ = x.shape
    out = np.zeros((n, 2 * h, 2 * w, kernel.shape[2]), dtype=np.float64)
    for i in range(2):
        for j in range(2):
            out[:, i::2, j::2, :] = np.tensordot(x, kernel[i, j], axes=([3], [1]))
    return np.maximum(out + bias, 0.0)


mk, mb = glorot(3, 3, C, 4), glorot(4)
dk, db = glorot(3, 3, 4, 2), glorot(8)
sdk, spk, sb = glorot(3, 3, 8, 1), glorot(1, 1, 8, 5), glorot(5)
tk, tb = glorot(2, 2, 4, 5), glorot(4)
md, mc = glorot(4, 3), glorot(3)
mobile_layers = [
    {"name": "image", "class_name": "InputLayer", "inbound_nodes": [], "config": {
        "batch_input_shape": [None, H, W, C], "dtype": "float32", "sparse": False,
        "name": "image"}},
    dict(conv_config("stem", 4, "same"), name="stem", inbound_nodes=node("image")),
    # Named as Keras names them: DL4J strips the layer name from weight names ("depthwise" would
    # turn "depthwise_kernel" into "kernel").
    dict(spatial_config("depthwise_conv2d", "DepthwiseConv2D", (3, 3), (1, 1), "same", {
        "depth_multiplier": 2, "depthwise_initializer": GLOROT, "depthwise_regularizer": None,
        "depthwise_constraint": None}), inbound_nodes=node("stem")),
    dict(spatial_config("separable", "SeparableConv2D", (3, 3), (1, 1), "same", {
        "filters": 5, "depth_multiplier": 1, "kernel_initializer": GLOROT,
        "kernel_regularizer": None, "kernel_constraint": None,
        "depthwise_initializer": GLOROT, "pointwise_initializer": GLOROT,
        "depthwise_regularizer": None, "pointwise_regularizer": None,
        "depthwise_constraint": None, "pointwise_constraint": None}),
        inbound_nodes=node("depthwise_conv2d")),
    dict(spatial_config("transpose", "Conv2DTranspose", (2, 2), (2, 2), "valid", {
        "filters": 4, "kernel_initializer": GLOROT, "kernel_regularizer": None,
        "kernel_constraint": None, "output_padding": None}), inbound_nodes=node("separable")),
    {"name": "pool", "class_name": "GlobalAveragePooling2D", "inbound_nodes": node("transpose"),
     "config": {"name": "pool", "trainable": True, "dtype": "float32",
                "data_format": "channels_last"}},
    dict(dense_config("predictions", 3, "softmax"), name="predictions",
         inbound_nodes=node("pool")),
]
mobile = {"class_name": "Model", "config": {
    "name": "mobile_cnn", "layers": mobile_layers,
    "input_layers": [["image", 0, 0]], "output_layers": [["predictions", 0, 0]]}}
write_h5("mobile_cnn.h5", mobile, [
    ("image", []), ("stem", [("kernel", mk), ("bias", mb)]),
    ("depthwise_conv2d", [("depthwise_kernel", dk), ("bias", db)]),
    ("separable", [("depthwise_kernel", sdk), ("pointwise_kernel", spk), ("bias", sb)]),
    ("transpose", [("kernel", tk), ("bias", tb)]), ("pool", []),
    ("predictions", [("kernel", md), ("bias", mc)])])
x = conv(images, mk, mb, "same")
x = np.maximum(depthwise(x, dk, db), 0.0)
x = np.maximum(np.tensordot(depthwise(x, sdk, 0.0), spk[0, 0], axes=([3], [0])) + sb, 0.0)
x = transpose2x2(x, tk, tb).mean(axis=(1, 2))
write_expected("mobile_cnn.expected.txt", images, softmax(x @ md + mc))
