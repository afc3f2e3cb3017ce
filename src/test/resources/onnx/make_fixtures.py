#!/usr/bin/env python3
"""Writes small ONNX models exported by real PyTorch for the ONNX import and export tests.

Each model is torchvision's own architecture class (ResNet-18 with BasicBlock [2, 2, 2, 2],
MobileNetV2's InvertedResidual blocks, VGG-11's configuration "A", SqueezeNet 1.1's Fire modules,
DenseNet-121's block configuration (6, 12, 24, 16)) at a reduced width, so that the files stay a
few tens of KB, plus two small hand-written CNNs that use the remaining operators of the import
(PRelu, Pad, depthwise Conv, LeakyRelu, ConvTranspose, HardSigmoid, HardSwish, AveragePool,
Sigmoid, the Reshape of x.view(n, -1), MatMul + Add, Clip, Concat, GlobalMaxPool, Dropout,
Identity, Softmax), and models the import must refuse.

Weights come from a seeded generator (batch normalisation statistics included, so that they
matter), and the models are exported in inference mode at different opsets (11 to 17). Beside
each importable <name>.onnx, <name>.expected.txt holds the outputs PyTorch computes (logits, or
probabilities for a model that ends in softmax) for a batch of two input images (NCHW) whose
value at flat index i is ((i * 2654435761) mod 2^32) / 2^32 as float32, so the inputs need not be
stored. Its lines: the input shape, the output shape, the output values.

Run from this folder with Debian's python3-torch, python3-torchvision and python3-onnx:

    /usr/bin/python3 make_fixtures.py
"""
import io

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import helper
from torchvision.models import densenet, mobilenetv2, resnet, squeezenet, vgg
from torchvision.ops.misc import Conv2dNormActivation

torch.manual_seed(20240611)
CLASSES = 10
PRESERVE = torch.onnx.TrainingMode.PRESERVE  # keeps BatchNormalization nodes
EVAL = torch.onnx.TrainingMode.EVAL  # torch.onnx.export's default: folds BN into Conv


class SmallResNet18(resnet.ResNet):
    """torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) at 1/16 width: 4-8-16-32."""

    def __init__(self, widths=(4, 8, 16, 32)):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = widths[0], 1, 1, 64
        self.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(resnet.BasicBlock, widths[0], 2)
        self.layer2 = self._make_layer(resnet.BasicBlock, widths[1], 2, stride=2)
        self.layer3 = self._make_layer(resnet.BasicBlock, widths[2], 2, stride=2)
        self.layer4 = self._make_layer(resnet.BasicBlock, widths[3], 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3], CLASSES)


def small_mobilenet_v2():
    """torchvision's MobileNetV2 at width 0.1 (channels rounded to 2), last conv 1280 -> 32."""
    model = mobilenetv2.MobileNetV2(num_classes=CLASSES, width_mult=0.1, round_nearest=2)
    last_in = model.features[-1][0].in_channels
    model.features[-1] = Conv2dNormActivation(
        last_in, 32, kernel_size=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6)
    model.classifier[1] = nn.Linear(32, CLASSES)
    return model


class SmallVgg11(vgg.VGG):
    """torchvision's VGG-11 (configuration "A") at 1/32 width with a 2x2 pooled classifier."""

    def __init__(self):
        nn.Module.__init__(self)
        config = [v // 32 if isinstance(v, int) else v for v in vgg.cfgs["A"]]
        self.features = vgg.make_layers(config, batch_norm=False)
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
        self.classifier = nn.Sequential(
            nn.Linear(16 * 2 * 2, 16), nn.ReLU(True), nn.Dropout(),
            nn.Linear(16, 16), nn.ReLU(True), nn.Dropout(),
            nn.Linear(16, CLASSES))


class SmallSqueezeNet11(squeezenet.SqueezeNet):
    """torchvision's SqueezeNet 1.1 (Fire modules, ceil-mode pooling) at 1/16 width."""

    def __init__(self):
        nn.Module.__init__(self)
        self.num_classes = CLASSES
        fire = squeezenet.Fire
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, kernel_size=3, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(4, 1, 4, 4), fire(8, 1, 4, 4),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(8, 2, 8, 8), fire(16, 2, 8, 8),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(16, 3, 12, 12), fire(24, 3, 12, 12), fire(24, 4, 16, 16), fire(32, 4, 16, 16))
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5), nn.Conv2d(32, CLASSES, kernel_size=1), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d((1, 1)))


def small_densenet121():
    """torchvision's DenseNet-121 block configuration with growth rate 2 and 4 initial features."""
    return densenet.DenseNet(growth_rate=2, block_config=(6, 12, 24, 16), num_init_features=4,
                             bn_size=2, num_classes=CLASSES)


class OpsCnn(nn.Module):
    """A small CNN that uses the activations, paddings and layers torchvision's models do not."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.prelu = nn.PReLU(6)
        self.depthwise = nn.Conv2d(6, 12, 3, groups=6, padding=1)
        self.leaky = nn.LeakyReLU(0.1)
        self.up = nn.ConvTranspose2d(12, 8, 2, stride=2)
        self.hardsigmoid = nn.Hardsigmoid()
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2)
        self.hardswish = nn.Hardswish()
        self.avg = nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
        self.conv3 = nn.Conv2d(8, 8, 1)
        self.pool = nn.MaxPool2d(2)
        self.w1 = nn.Parameter(torch.randn(8 * 6 * 6, 16) * 0.1)
        self.b1 = nn.Parameter(torch.randn(16) * 0.1)
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x):
        x = self.prelu(self.conv1(x))
        x = F.pad(x, (1, 1, 1, 1))
        x = self.leaky(self.depthwise(x))
        x = self.hardsigmoid(self.up(x))
        x = self.hardswish(self.conv2(x))
        x = torch.sigmoid(self.conv3(self.avg(x)))
        x = self.pool(x)
        x = x.view(x.size(0), -1)
        x = F.relu6(torch.matmul(x, self.w1) + self.b1)
        return torch.softmax(self.fc2(x), dim=1)


class BranchCnn(nn.Module):
    """Two branches concatenated, asymmetric padding, padded max pooling, global max pooling."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 6, 3)
        self.left = nn.Conv2d(6, 4, 1)
        self.right = nn.Conv2d(6, 5, 2)
        self.bn = nn.BatchNorm2d(9)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.head = nn.Conv2d(9, 7, 3, padding=1, bias=False)
        self.global_pool = nn.AdaptiveMaxPool2d(1)
        self.fc = nn.Linear(7, 4)

    def forward(self, x):
        x = F.relu(self.stem(x))
        right = self.right(F.pad(x, (0, 1, 0, 1)))
        x = self.pool(self.bn(torch.cat([self.left(x), right], dim=1)))  # padded, negative values
        x = F.leaky_relu(self.head(F.relu6(x)), 0.2)
        return self.fc(torch.flatten(self.global_pool(x), 1))


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(F.relu(self.conv(x)), 1), 1))


class HardSwishCnn(nn.Module):
    """Hardswish as opsets before 14 export it: x * HardSigmoid(x)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.act = nn.Hardswish()
        self.fc = nn.Linear(4 * 6 * 6, 3)

    def forward(self, x):
        return self.fc(torch.flatten(self.act(self.conv(x)), 1))


class TwoOutputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        features = F.adaptive_avg_pool2d(F.relu(self.conv(x)), 1).flatten(1)
        return self.fc(features), features


class InstanceNormCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.norm = nn.InstanceNorm2d(4)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(F.relu(self.norm(self.conv(x))), 1)
        return self.fc(torch.flatten(x, 1))


def randomize(model):
    """Seeded weights, with batch normalisation statistics that are not the identity."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                module.weight.normal_(0.0, (2.0 / fan_in) ** 0.5)
                if module.bias is not None:
                    module.bias.normal_(0.0, 0.1)
            elif isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.1)
                module.running_mean.normal_(0.0, 0.2)
                module.running_var.uniform_(0.5, 2.0)
            elif isinstance(module, nn.PReLU):
                module.weight.uniform_(0.05, 0.5)
    return model.eval()


def export(model, name, shape, opset, training=PRESERVE, **options):
    data = io.BytesIO()
    torch.onnx.export(model, torch.zeros(1, *shape), data, opset_version=opset, training=training,
                      input_names=["input"], output_names=["output"], **options)
    return onnx.load_from_string(data.getvalue())


def save(proto, name):
    onnx.checker.check_model(proto)
    onnx.save(proto, name + ".onnx")


def images(shape):
    """The test batch: two images whose values are a multiplicative hash of the flat index."""
    index = np.arange(2 * int(np.prod(shape)), dtype=np.uint64)
    values = (index * np.uint64(2654435761)) % np.uint64(2 ** 32) / float(2 ** 32)
    return torch.from_numpy(values.astype(np.float32).reshape(2, *shape))


def write_expected(name, model, shape):
    with torch.no_grad():
        outputs = model(images(shape)).numpy()
    with open(name + ".expected.txt", "w") as f:
        f.write(" ".join(str(d) for d in (2,) + tuple(shape)) + "\n")
        f.write(" ".join(str(d) for d in outputs.shape) + "\n")
        f.write(" ".join(repr(float(v)) for v in outputs.ravel()) + "\n")


def insert_before(proto, op_type, consumer_op, **attributes):
    """Puts a node of op_type (identity at inference) on the first input of the consumer."""
    graph = proto.graph
    index, consumer = next((i, n) for i, n in enumerate(graph.node) if n.op_type == consumer_op)
    source = consumer.input[0]
    output = source + "_" + op_type.lower()
    node = helper.make_node(op_type, [source], [output], name="/inserted/" + op_type, **attributes)
    consumer.input[0] = output
    graph.node.insert(index, node)


def to_global_max_pool(proto):
    """PyTorch writes AdaptiveMaxPool2d(1) as a MaxPool over the whole map; users' graphs (and
    other exporters) have GlobalMaxPool: the same values."""
    for node in proto.graph.node:
        kernel = [helper.get_attribute_value(a) for a in node.attribute if a.name == "kernel_shape"]
        if node.op_type == "MaxPool" and kernel == [[7, 7]]:
            node.op_type = "GlobalMaxPool"
            del node.attribute[:]
            return
    raise ValueError("no whole-map MaxPool")


def main():
    importable = [
        ("resnet18", SmallResNet18(), (3, 32, 32), 11, PRESERVE),
        ("mobilenet_v2", small_mobilenet_v2(), (3, 32, 32), 13, EVAL),
        ("vgg11", SmallVgg11(), (3, 64, 64), 17, PRESERVE),
        ("squeezenet1_1", SmallSqueezeNet11(), (3, 40, 40), 12, PRESERVE),
        ("densenet121", small_densenet121(), (3, 32, 32), 15, PRESERVE),
        ("ops_cnn", OpsCnn(), (3, 12, 12), 14, PRESERVE),
        ("hardswish_opset13", HardSwishCnn(), (3, 8, 8), 13, PRESERVE),
    ]
    for name, model, shape, opset, training in importable:
        randomize(model)
        save(export(model, name, shape, opset, training), name)
        write_expected(name, model, shape)

    branch = randomize(BranchCnn())
    proto = export(branch, "branch_cnn", (3, 16, 16), 16)
    # PyTorch drops Dropout and Identity at inference; users' graphs still carry them.
    insert_before(proto, "Dropout", "Gemm")
    insert_before(proto, "Identity", "Dropout")
    to_global_max_pool(proto)
    save(proto, "branch_cnn")
    write_expected("branch_cnn", branch, (3, 16, 16))

    save(export(randomize(TwoOutputs()), "two_outputs", (3, 8, 8), 13), "two_outputs")
    save(export(randomize(InstanceNormCnn()), "unsupported_op", (3, 8, 8), 13), "unsupported_op")
    tiny = randomize(TinyCnn())
    dynamic = export(tiny, "dynamic_size", (3, 8, 8), 13,
                     dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"}})
    save(dynamic, "dynamic_size")
    write_expected("dynamic_size", tiny, (3, 8, 8))


if __name__ == "__main__":
    main()
