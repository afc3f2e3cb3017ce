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
}
