package org.cnnsimplifier.workers;

import java.util.UUID;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.model.CnnModel;

/** Where a worker gets a job's model and data set (the catalog of uploads). */
public interface JobInputs {

  /** The owner's uploaded model, read by the engine. */
  CnnModel loadModel(String owner, UUID modelId);

  /**
   * The owner's uploaded data set, opened by the engine with the splits fixed at its upload ({@code
   * options} give shape, adaptation, preprocessing and work folder); the caller closes it.
   */
  ImageDataset openDataset(String owner, UUID datasetId, DatasetOptions options);
}
