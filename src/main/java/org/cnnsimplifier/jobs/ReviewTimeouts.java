package org.cnnsimplifier.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Jobs whose review waited longer than their {@code reviewTimeout} and that asked for {@code
 * APPLY_SUGGESTION} go on with the suggestion; the others keep waiting (the default).
 */
@Component
class ReviewTimeouts {
  private static final Logger log = LoggerFactory.getLogger(ReviewTimeouts.class);

  private final ReviewStore store;
  private final ReviewService reviews;
  private final ObjectMapper json;
  private final Clock clock;

  ReviewTimeouts(ReviewStore store, ReviewService reviews, ObjectMapper json, Clock clock) {
    this.store = store;
    this.reviews = reviews;
    this.json = json;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${cnn.review.timeout-check:30s}", initialDelay = 10_000)
  void applyOverdueSuggestions() {
    Instant now = clock.instant();
    try {
      for (ReviewStore.Waiting waiting : store.waitingSince(now)) {
        JobSpec spec = json.readValue(waiting.spec(), JobSpec.class);
        Duration timeout = spec.reviewTimeout();
        if (timeout == null
            || !"APPLY_SUGGESTION".equals(spec.onReviewTimeout())
            || waiting.review().createdAt().plus(timeout).isAfter(now)) {
          continue;
        }
        try {
          reviews.choose(
              new Owner(waiting.owner()),
              waiting.jobId(),
              reviews.suggestion(waiting.review()),
              "suggestion (no choice within " + timeout + ")");
          log.info("job {}: review timed out, suggestion applied", waiting.jobId());
        } catch (ApiException e) {
          log.debug("job {}: {}", waiting.jobId(), e.getMessage());
        }
      }
    } catch (DataAccessException e) {
      log.warn("could not look for overdue reviews: {}", e.getMessage());
    }
  }
}
