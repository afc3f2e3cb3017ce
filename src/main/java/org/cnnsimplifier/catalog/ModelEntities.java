package org.cnnsimplifier.catalog;

import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** The {@code model} table through Spring Data JPA. */
interface ModelEntities extends CatalogEntities<ModelEntity> {

  @Override
  @Transactional
  @Modifying
  @Query("DELETE FROM ModelEntity m WHERE m.id = :id AND m.owner = :owner")
  int deleteOwned(@Param("id") UUID id, @Param("owner") String owner);

  /** Sets the preprocessing of the owner's model; the number of rows changed. */
  @Transactional
  @Modifying
  @Query(
      "UPDATE ModelEntity m SET m.preprocessing = :preprocessing"
          + " WHERE m.id = :id AND m.owner = :owner")
  int updatePreprocessing(
      @Param("id") UUID id,
      @Param("owner") String owner,
      @Param("preprocessing") String preprocessing);

  /** How many jobs that have not finished use the model. */
  @Query(
      value =
          "SELECT COUNT(*) FROM job WHERE model_id = :id"
              + " AND state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')",
      nativeQuery = true)
  long unfinishedJobs(@Param("id") UUID id);
}
