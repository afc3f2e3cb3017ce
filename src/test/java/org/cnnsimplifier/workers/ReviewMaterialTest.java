package org.cnnsimplifier.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.ZipInputStream;
import org.cnnsimplifier.engine.KernelReview;
import org.cnnsimplifier.engine.SyntheticData;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.GroupNets;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The review of a coupled group: its kernels once, every member's maps available. */
class ReviewMaterialTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void reviewsAResidualGroupOnceWithEveryMembersMaps() throws IOException {
    CnnModel model = GroupNets.residual(2, ElementWiseVertex.Op.Add);
    List<Integer> kernels = IntStream.range(0, 6).boxed().toList();
    KernelReview.Request request =
        new KernelReview.Request("b1", 0, 1, model, kernels, List.of(1, 4), new double[6]);

    byte[] zip =
        ReviewMaterial.zip(
            request,
            new SyntheticData(GroupNets.INPUT, 4, 2, 1),
            List.of("a", "b", "c"),
            2,
            7,
            "L1, ratio 0.5",
            JSON);

    List<String> entries = new ArrayList<>();
    JsonNode review = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.add(entry.getName());
        if (entry.getName().equals(ReviewMaterial.JSON)) {
          review = JSON.readTree(in.readAllBytes());
        }
      }
    }
    assertThat(review.path("group").asString()).isEqualTo("stem");
    assertThat(review.path("members").findValuesAsString("name"))
        .containsExactly("stem", "b1", "b2");
    assertThat(review.path("kernels")).hasSize(6);
    assertThat(entries)
        .contains("kernels/0.png", "kernels/5.png", "members/1/0.png", "members/2/5.png");
    assertThat(entries.stream().filter(e -> e.startsWith("members/"))).hasSize(12);
  }
}
