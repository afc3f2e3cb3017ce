package org.cnnsimplifier.jobs.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesNumbersBooleansNullsAndEscapedStrings() {
    String json =
        Json.object(
            "attempt", 2, "ok", true, "none", null, "error", "a \"quoted\"\\path\n\tend\u0001");

    assertThat(json)
        .isEqualTo(
            "{\"attempt\":2,\"ok\":true,\"none\":null,"
                + "\"error\":\"a \\\"quoted\\\"\\\\path\\n\\tend\\u0001\"}");
  }

  @Test
  void writesAnEmptyObject() {
    assertThat(Json.object()).isEqualTo("{}");
  }
}
