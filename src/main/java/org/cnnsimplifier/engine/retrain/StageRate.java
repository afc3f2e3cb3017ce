package org.cnnsimplifier.engine.retrain;

import org.cnnsimplifier.engine.plan.Retraining;
import org.nd4j.linalg.schedule.ISchedule;

/** A stage's learning rate by iteration: {@link Retraining.Schedule} from the stage's first. */
final class StageRate implements ISchedule {
  private static final long serialVersionUID = 1L;

  private final double rate;
  private final Retraining.Schedule schedule;
  private final int startIteration;
  private final long batches;

  StageRate(double rate, Retraining.Schedule schedule, int startIteration, long batches) {
    this.rate = rate;
    this.schedule = schedule;
    this.startIteration = startIteration;
    this.batches = batches;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    return schedule.rate(rate, Math.max(0, iteration - startIteration), batches);
  }

  @Override
  public ISchedule clone() {
    return new StageRate(rate, schedule, startIteration, batches);
  }
}
