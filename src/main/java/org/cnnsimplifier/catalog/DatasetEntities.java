package org.cnnsimplifier.catalog;

import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** The {@code dataset} table through Spring Data JPA. */
interface DatasetEntities extends CatalogEntities<DatasetEntity> {

  @Override
  @Transactional
  @Modifying
  @Query("DELETE FROM DatasetEntity d WHERE d.id = :id AND d.owner = :owner")
  int deleteOwned(@Param("id") UUID id, @Param("owner") String owner);

  /**
   * Whether the id exists, whatever its owner: only for removing what nodes keep of deleted data
   * sets; it answers nothing of the row.
   */
  boolean existsById(UUID id);
}
