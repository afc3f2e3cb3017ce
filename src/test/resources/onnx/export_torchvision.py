#!/usr/bin/env python3
"""Exports a full-width torchvision model with random weights to ONNX, as a PyTorch user would.

    /usr/bin/python3 export_torchvision.py MODEL SIZE CLASSES OUT.onnx

MODEL is resnet18 or vgg11; the input is 3 x SIZE x SIZE. torchvision's VGG-11 pools its features
to 7x7 for a 512*7*7 -> 4096 classifier, which needs 224x224 images; for smaller ones its
adaptive pooling goes to (SIZE/32)x(SIZE/32) and the first classifier layer reads that many
features (the 4096-wide classifier is kept). Used by org.cnnsimplifier.bench.OnnxWalkthrough.
Needs Debian's python3-torch and python3-torchvision.
"""
import sys

import torch
import torch.nn as nn
import torchvision

name, size, classes, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
torch.manual_seed(0)
if name == "resnet18":
    model = torchvision.models.resnet18(num_classes=classes)
elif name == "vgg11":
    model = torchvision.models.vgg11(num_classes=classes)
    side = max(1, size // 32)
    model.avgpool = nn.AdaptiveAvgPool2d((side, side))
    model.classifier[0] = nn.Linear(512 * side * side, 4096)
else:
    raise SystemExit("unknown model " + name)
model.eval()
torch.onnx.export(model, torch.zeros(1, 3, size, size), out, opset_version=13,
                  input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, written to {out}")
