package org.cnnsimplifier.jobs;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.cnnsimplifier.system.Owner;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class ReviewTimeoutsTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final ReviewStore store = mock(ReviewStore.class);
  private final ReviewService reviews = mock(ReviewService.class);
  private final ReviewTimeouts timeouts =
      new ReviewTimeouts(store, reviews, JSON, Clock.fixed(NOW, ZoneOffset.UTC));
  private final UUID job = UUID.randomUUID();

  private void waiting(String timeout, String onTimeout, Instant since) {
    String spec =
        """
        {"modelId":"%s","datasetId":"%s","criterion":"SUBJECTIVE","policy":{"type":"ratio","ratio":0.5},
         "reviewTimeout":%s,"onReviewTimeout":"%s"}"""
            .formatted(UUID.randomUUID(), UUID.randomUUID(), timeout, onTimeout);
    ReviewStore.Review review = new ReviewStore.Review(job, "conv1", "blob", since);
    when(store.waitingSince(NOW))
        .thenReturn(List.of(new ReviewStore.Waiting(job, "alice", spec, review)));
    when(reviews.suggestion(review)).thenReturn(List.of(0, 2));
  }

  @Test
  void appliesTheSuggestionOnceTheTimeoutHasPassed() {
    waiting("\"PT1H\"", "APPLY_SUGGESTION", NOW.minusSeconds(3601));
    timeouts.applyOverdueSuggestions();
    verify(reviews)
        .choose(
            eq(new Owner("alice")),
            eq(job),
            eq(List.of(0, 2)),
            eq("suggestion (no choice within PT1H)"));
  }

  @Test
  void keepsWaitingBeforeTheTimeout() {
    waiting("\"PT1H\"", "APPLY_SUGGESTION", NOW.minusSeconds(3500));
    timeouts.applyOverdueSuggestions();
    verify(reviews, never()).choose(any(), any(), any(), anyString());
  }

  @Test
  void keepsWaitingWhenAskedToWaitOrWithoutATimeout() {
    waiting("\"PT1H\"", "WAIT", NOW.minusSeconds(7200));
    timeouts.applyOverdueSuggestions();
    waiting("null", "APPLY_SUGGESTION", NOW.minusSeconds(7200));
    timeouts.applyOverdueSuggestions();
    verify(reviews, never()).choose(any(), any(), any(), anyString());
  }
}
