package org.cnnsimplifier.engine.surgery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PoolHelperVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * The forward walk that builds the dependency graph: in topological order, the channel layout of
 * every node's input and output, atoms coupled by element-wise vertices (union-find), and atoms
 * that must never be removed (pinned, with the reason).
 */
final class ChannelWalk {
  final NetworkGraph net;

  /** Output layout of every node, network inputs included. */
  final Map<String, Layout> out = new HashMap<>();

  /** Input layout of every layer, after its preprocessor. */
  final Map<String, Layout> in = new HashMap<>();

  /** Input layout of layers that have a preprocessor, before it. */
  final Map<String, Layout> rawIn = new HashMap<>();

  /** Layers that read channels (have weights along their input), in order. */
  final Set<String> readers = new LinkedHashSet<>();

  /** Nodes whose per-channel parameters follow their input (batch norm, depthwise, …). */
  final Set<String> followers = new LinkedHashSet<>();

  /** Nodes that pass channels but mix them. */
  final Set<String> mixing = new LinkedHashSet<>();

  /** Layers whose output channels are their own atoms, in order. */
  final Set<String> sources = new LinkedHashSet<>();

  final List<String> atomSource = new ArrayList<>();
  final List<Integer> atomChannel = new ArrayList<>();
  final List<String> atomPin = new ArrayList<>();
  private int[] parent = new int[1024];

  ChannelWalk(NetworkGraph net) {
    this.net = net;
  }

  static ChannelWalk of(NetworkGraph net) {
    ChannelWalk walk = new ChannelWalk(net);
    walk.run();
    return walk;
  }

  private void run() {
    for (String node : net.order()) {
      for (String source : net.inputs(node)) {
        if (net.isNetworkInput(source) && !out.containsKey(source)) {
          int channels = channelsOf(net.outputType(source));
          out.put(
              source,
              fresh(
                  source,
                  channels,
                  true,
                  "its channels are coupled with the network's input channels, which cannot be"
                      + " removed"));
        }
      }
      Layer layer = net.layer(node);
      out.put(node, layer != null ? layer(node, layer) : vertex(node, net.vertex(node)));
    }
    for (String output : net.networkOutputs()) {
      String reason =
          sources.contains(output)
              ? "its units are the model's outputs (the classes); they are never removed"
              : "its channels reach the network output '"
                  + output
                  + "' unchanged: they are the model's outputs (the classes)";
      pin(out.get(output), reason);
    }
  }

  private Layout layer(String node, Layer layer) {
    Layout raw = single(node);
    Layout input = preprocessed(node, raw);
    in.put(node, input);
    if (net.preProcessor(node) != null) {
      rawIn.put(node, raw);
    }
    Layer conf = LayerKind.unwrap(layer);
    LayerKind kind = LayerKind.of(conf);
    switch (kind) {
      case CONVOLUTION, DECONVOLUTION, SEPARABLE, DENSE, OUTPUT -> {
        long nIn = ((FeedForwardLayer) conf).getNIn();
        if (nIn != input.size()) {
          return opaque(
              node, input, "it expects " + nIn + " inputs but the graph gives it " + input.size());
        }
        readers.add(node);
        sources.add(node);
        int nOut = Math.toIntExact(((FeedForwardLayer) conf).getNOut());
        return fresh(node, nOut, LayerKind.activationKeepsZero(conf), null);
      }
      case DEPTHWISE -> {
        followers.add(node);
        int multiplier = Math.toIntExact(((DepthwiseConvolution2D) conf).getDepthMultiplier());
        return input.repeatEach(multiplier).keepingZero(LayerKind.keepsZero(conf));
      }
      case PER_CHANNEL -> {
        followers.add(node);
        return input.keepingZero(LayerKind.keepsZero(conf));
      }
      case MIXING -> {
        mixing.add(node);
        return input.keepingZero(LayerKind.keepsZero(conf));
      }
      case PASS -> {
        return input.keepingZero(LayerKind.keepsZero(conf));
      }
      default -> {
        return opaque(node, input, null);
      }
    }
  }

  private Layout vertex(String node, GraphVertex vertex) {
    GraphVertex conf = vertex;
    while (conf instanceof FrozenVertex frozen) {
      conf = frozen.getUnderlying();
    }
    List<Layout> inputs = new ArrayList<>();
    for (String source : net.inputs(node)) {
      inputs.add(out.get(source));
    }
    if (conf instanceof ElementWiseVertex) {
      return couple(node, inputs);
    }
    if (conf instanceof MergeVertex merge) {
      if (merge.getMergeAxis() != 1) {
        return opaque(
            node,
            Layout.concat(inputs.toArray(Layout[]::new)),
            "it concatenates along axis " + merge.getMergeAxis());
      }
      return Layout.concat(inputs.toArray(Layout[]::new));
    }
    if (inputs.size() == 1 && (conf instanceof ScaleVertex || conf instanceof PoolHelperVertex)) {
      return inputs.get(0);
    }
    if (inputs.size() == 1 && conf instanceof ShiftVertex) {
      return inputs.get(0).keepingZero(false);
    }
    if (inputs.size() == 1 && conf instanceof L2NormalizeVertex) {
      mixing.add(node);
      return inputs.get(0);
    }
    if (inputs.size() == 1 && conf instanceof PreprocessorVertex pre) {
      return preprocess(node, inputs.get(0), pre.getPreProcessor());
    }
    return opaque(node, Layout.concat(inputs.toArray(Layout[]::new)), null);
  }

  /** An element-wise vertex: channel p of every input is one channel, removed together. */
  private Layout couple(String node, List<Layout> inputs) {
    Layout first = inputs.get(0);
    for (Layout other : inputs) {
      if (other.size() != first.size()) {
        return opaque(
            node,
            Layout.concat(inputs.toArray(Layout[]::new)),
            "its inputs have different channel counts");
      }
    }
    boolean[] zero = new boolean[first.size()];
    for (int p = 0; p < first.size(); p++) {
      zero[p] = true;
      for (Layout other : inputs) {
        union(first.atoms()[p], other.atoms()[p]);
        zero[p] &= other.zeroKept()[p];
      }
    }
    return new Layout(first.atoms(), zero);
  }

  /** A layer's input; several inputs are concatenated, as DL4J's layer vertex does. */
  private Layout single(String node) {
    List<String> from = net.inputs(node);
    if (from.size() == 1) {
      return out.get(from.get(0));
    }
    return Layout.concat(from.stream().map(out::get).toArray(Layout[]::new));
  }

  private Layout preprocessed(String node, Layout raw) {
    InputPreProcessor pre = net.preProcessor(node);
    return pre == null ? raw : preprocess(node, raw, pre);
  }

  private Layout preprocess(String node, Layout raw, InputPreProcessor pre) {
    if (pre instanceof CnnToFeedForwardPreProcessor flatten
        && flatten.getNumChannels() == raw.size()) {
      boolean channelsLast =
          flatten.getFormat() == CNN2DFormat.NHWC
              || flatten.getClass().getSimpleName().startsWith("TensorFlow");
      return raw.flattened(flatten.getInputHeight() * flatten.getInputWidth(), channelsLast);
    }
    String reason =
        "its channels reach '"
            + node
            + "', which reshapes them with "
            + pre.getClass().getSimpleName()
            + "; only flattening is followed";
    pin(raw, reason);
    InputType from = net.outputType(net.inputs(node).get(0));
    int size = channelsOf(pre.getOutputType(from));
    return fresh(node + "#input", size, false, reason);
  }

  /** A node whose channels cannot be followed: what reaches it is pinned, what leaves is new. */
  private Layout opaque(String node, Layout input, String detail) {
    String reason =
        "its channels reach '"
            + node
            + "' ("
            + net.kind(node)
            + "), which "
            + (detail != null
                ? "cannot be adjusted: " + detail
                : "cuts, mixes or reshapes channels in a way that cannot be adjusted");
    pin(input, reason);
    return fresh(node, channelsOf(net.outputType(node)), false, reason);
  }

  private Layout fresh(String source, int count, boolean keepsZero, String pinReason) {
    int[] atoms = new int[count];
    boolean[] zero = new boolean[count];
    for (int c = 0; c < count; c++) {
      int id = atomSource.size();
      atomSource.add(source);
      atomChannel.add(c);
      atomPin.add(pinReason);
      if (id >= parent.length) {
        parent = java.util.Arrays.copyOf(parent, parent.length * 2);
      }
      parent[id] = id;
      atoms[c] = id;
      zero[c] = keepsZero;
    }
    return new Layout(atoms, zero);
  }

  private void pin(Layout layout, String reason) {
    for (int atom : layout.atoms()) {
      if (atomPin.get(atom) == null) {
        atomPin.set(atom, reason);
      }
    }
  }

  int find(int atom) {
    int root = atom;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[atom] != root) {
      int next = parent[atom];
      parent[atom] = root;
      atom = next;
    }
    return root;
  }

  private void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra != rb) {
      // The smaller id stays the root: the earliest atom names the class.
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  int atoms() {
    return atomSource.size();
  }

  /** Channels (convolutional) or features (feed-forward) of one example of a type. */
  static int channelsOf(InputType type) {
    if (type instanceof InputType.InputTypeConvolutional conv) {
      return Math.toIntExact(conv.getChannels());
    }
    if (type instanceof InputType.InputTypeFeedForward ff) {
      return Math.toIntExact(ff.getSize());
    }
    if (type instanceof InputType.InputTypeConvolutionalFlat flat) {
      return Math.toIntExact(flat.getDepth());
    }
    if (type instanceof InputType.InputTypeRecurrent rnn) {
      return Math.toIntExact(rnn.getSize());
    }
    return Math.toIntExact(type.arrayElementsPerExample());
  }
}
