package org.cnnsimplifier.catalog;

import java.util.Map;
import org.cnnsimplifier.system.ApiException;

/** A checked page request. */
record Paging(int page, int size) {
  static final int MAX_SIZE = 100;

  static Paging of(int page, int size) {
    if (page < 0) {
      throw ApiException.badRequest(
          "page must be 0 or more", Map.of("page", "must be 0 or more, got " + page));
    }
    if (size < 1 || size > MAX_SIZE) {
      throw ApiException.badRequest(
          "size must be between 1 and " + MAX_SIZE,
          Map.of("size", "must be between 1 and " + MAX_SIZE + ", got " + size));
    }
    return new Paging(page, size);
  }

  long offset() {
    return (long) page * size;
  }

  /** This page of a list ordered newest first (ties by id, descending). */
  org.springframework.data.domain.Pageable newestFirst() {
    return org.springframework.data.domain.PageRequest.of(
        page,
        size,
        org.springframework.data.domain.Sort.by(
            org.springframework.data.domain.Sort.Direction.DESC, "createdAt", "id"));
  }
}
