package org.cnnsimplifier.workers;

import java.util.UUID;
import org.cnnsimplifier.catalog.Catalog;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.system.Owner;
import org.springframework.stereotype.Component;

/**
 * A job's inputs from the catalog of uploads; class-folder data sets are decoded once into this
 * node's tensor stores.
 */
@Component
class CatalogJobInputs implements JobInputs {
  private final Catalog catalog;
  private final TensorStoreDirectory stores;

  CatalogJobInputs(Catalog catalog, TensorStoreDirectory stores) {
    this.catalog = catalog;
    this.stores = stores;
  }

  @Override
  public CnnModel loadModel(String owner, UUID modelId) {
    return catalog
        .findModel(new Owner(owner), modelId)
        .map(catalog::loadModel)
        .orElseThrow(() -> new InvalidModelException("model " + modelId + " was deleted"));
  }

  @Override
  public ImageDataset openDataset(String owner, UUID datasetId, DatasetOptions options) {
    return catalog
        .findDataset(new Owner(owner), datasetId)
        .map(dataset -> catalog.openDataset(dataset, stores.withStore(options, dataset)))
        .orElseThrow(() -> new InvalidDatasetException("data set " + datasetId + " was deleted"));
  }
}
