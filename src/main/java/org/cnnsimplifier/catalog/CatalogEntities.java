package org.cnnsimplifier.catalog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.data.repository.Repository;

/**
 * The Spring Data queries both catalog tables answer; every one names the owner, so no owner
 * reaches another's rows.
 */
@NoRepositoryBean
interface CatalogEntities<T extends CatalogEntity> extends Repository<T, UUID> {

  T save(T entity);

  Optional<T> findByIdAndOwner(UUID id, String owner);

  List<T> findByOwner(String owner, Pageable page);

  long countByOwner(String owner);

  /** Deletes at once (not at flush), so a foreign-key refusal surfaces here. */
  int deleteOwned(UUID id, String owner);
}
