package org.cnnsimplifier.engine.criteria;

import java.util.function.Supplier;

/**
 * The objective relevance criteria of the method (see docs/method.md, "Relevance criteria"). Each
 * creates a {@link RelevanceCriterion}; all give higher scores to more relevant kernels.
 */
public enum Criterion {
  /** Sum of absolute weights of the kernel (Li et al. 2017). */
  L1(L1Norm::new, false, true),
  /** Euclidean norm of the kernel's weights. */
  L2(L2Norm::new, false, true),
  /** 1 − fraction of zero post-activation values (Hu et al. 2016, "Network Trimming"). */
  APOZ(AveragePercentageOfZeros::new, true, true),
  /** Mean post-activation value. */
  MEAN_ACTIVATION(MeanActivation::new, true, true),
  /** |activation × loss gradient| averaged, L2-normalised per layer (Molchanov et al. 2017). */
  TAYLOR(TaylorExpansion::new, true, false),
  /** Average rank of the kernel's feature maps (Lin et al. 2020). */
  HRANK(HRank::new, true, false),
  /** Drop in accuracy when the kernel alone is zeroed. */
  ABLATION(Ablation::new, true, false);

  private final Supplier<RelevanceCriterion> factory;
  private final boolean needsData;
  private final boolean cheap;

  Criterion(Supplier<RelevanceCriterion> factory, boolean needsData, boolean cheap) {
    this.factory = factory;
    this.needsData = needsData;
    this.cheap = cheap;
  }

  /** A new scorer for this criterion. */
  public RelevanceCriterion create() {
    return factory.get();
  }

  /** Whether scoring reads images ({@link ScoringData#images()} must then be given). */
  public boolean needsData() {
    return needsData;
  }

  /**
   * Whether scoring costs at most one forward pass over the sample, so it can be shown beside
   * another criterion's scores (e.g. on the kernel-selection page) without noticeable delay.
   */
  public boolean isCheap() {
    return cheap;
  }
}
