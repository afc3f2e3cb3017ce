package org.cnnsimplifier.jobs.queue;

import java.util.List;

/**
 * One page of an owner's jobs, newest first.
 *
 * @param items the jobs on this page
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param total how many jobs match in all
 */
public record JobPage(List<Job> items, int page, int size, long total) {

  public JobPage {
    items = List.copyOf(items);
  }
}
