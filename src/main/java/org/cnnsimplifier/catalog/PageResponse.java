package org.cnnsimplifier.catalog;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, newest first.
 *
 * @param items the items on this page
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param totalItems how many items there are on all pages
 */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems) {

  public PageResponse {
    items = List.copyOf(items);
  }

  <R> PageResponse<R> map(Function<T, R> mapping) {
    return new PageResponse<>(items.stream().map(mapping).toList(), page, size, totalItems);
  }
}
