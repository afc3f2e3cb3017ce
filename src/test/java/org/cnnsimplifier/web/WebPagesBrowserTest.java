package org.cnnsimplifier.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cnnsimplifier.support.ApiClient;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.PostgresServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The web pages, served by the service and used in headless Chromium: a person enters the API key
 * on the dashboard, opens the waiting job's review, marks kernels by mouse and keyboard, sees what
 * the choice saves, submits, and watches the job move on to the next layer and to its end.
 * Screenshots go to {@code target/screenshots}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:alice-key,bob:bob-key",
      "cnn.workers.concurrency=1",
      "cnn.workers.poll-interval=200ms",
      "cnn.workers.heartbeat=1s"
    })
class WebPagesBrowserTest extends PostgresServiceTest {
  private static final Duration PAGE = Duration.ofSeconds(15);
  private static final Duration JOB = Duration.ofSeconds(90);
  private static final NumberFormat GROUPED = NumberFormat.getIntegerInstance(Locale.US);

  @BeforeEach
  void cleanJobs() {
    deleteJobs();
  }

  @Test
  void servesThePagesWithoutAKeyForBrowsersToRevalidate() throws Exception {
    ApiClient anonymous = new ApiClient(port, "");
    HttpResponse<String> dashboard = anonymous.send(anonymous.request("/").GET().build());
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.body()).contains("<script type=\"module\" src=\"js/dashboard.js\">");
    for (String path : List.of("/review.html", "/js/review.js", "/css/app.css")) {
      HttpResponse<String> page = anonymous.send(anonymous.request(path).GET().build());
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
    }
    assertThat(anonymous.get("/js/review.js").headers().firstValue("Content-Type").orElseThrow())
        .contains("javascript");
    assertThat(anonymous.get("/api/v1/jobs").statusCode()).isEqualTo(401);
  }

  @Test
  void aPersonChoosesKernelsInTheBrowserAndTheJobMovesOn(@TempDir Path tmp) throws Exception {
    Browser.assumeInstalled();
    ApiClient alice = new ApiClient(port, "alice-key");
    String jobId = waitingSubjectiveJob(alice, tmp);
    JsonNode review = alice.getJson("/api/v1/jobs/" + jobId + "/review");

    try (Browser browser = Browser.start(tmp.resolve("profile"), 1400, 1000)) {
      browser.driver.get("http://localhost:" + port + "/");
      browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
      browser.screenshot("access.png");
      assertThat(browser.consoleErrors()).isEmpty();
      browser.find("#api-key").sendKeys("alice-key", Keys.ENTER);
      String row = "tr[data-job-id='" + jobId + "']";
      browser.await(
          PAGE,
          ExpectedConditions.elementToBeClickable(By.cssSelector(row + " a[data-action=review]")));
      browser.await(
          PAGE,
          ExpectedConditions.attributeToBe(
              By.cssSelector(row), "data-state", "AWAITING_SELECTION"));
      assertThat(browser.find("#key-status").getText()).contains("••••-key");
      browser.click(row + " .job-name");
      browser.await(
          PAGE,
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("job-detail"), "waiting for your choice"));
      browser.screenshot("dashboard-waiting.png");

      browser.click(row + " a[data-action=review]");
      awaitKernelRows(browser, 6);
      var inputs = browser.find("#inputs-cell img.sheet").getRect();
      var maps = kernel(browser, 5).findElement(By.cssSelector("img.sheet")).getRect();
      assertThat(maps.getX()).as("maps line up under the inputs").isEqualTo(inputs.getX());
      assertThat(maps.getWidth()).isEqualTo(inputs.getWidth());
      assertThat(browser.find("#color-map").getText()).isEqualTo("viridis");
      refusesToRemoveEveryKernel(browser);
      sortsByScore(browser, review);

      kernel(browser, 1).findElement(By.cssSelector("td.maps")).click();
      assertThat(pressed(browser, 1)).isTrue();
      WebElement focused = browser.driver.switchTo().activeElement();
      assertThat(focused.getAttribute("aria-label")).isEqualTo("Remove kernel 1");
      focused.sendKeys("j");
      browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
      browser.driver.switchTo().activeElement().sendKeys("j");
      browser.driver.switchTo().activeElement().sendKeys("x");
      assertThat(pressed(browser, 4)).isTrue();
      assertThat(pressed(browser, 2)).isFalse();

      long params = review.get("perKernel").get("params").asLong();
      long flops = review.get("perKernel").get("flops").asLong();
      assertThat(browser.find("#marked-count").getText()).isEqualTo("2 of 6");
      assertThat(browser.find("#params-saved").getText())
          .isEqualTo("−" + GROUPED.format(2 * params));
      assertThat(browser.find("#flops-saved").getText()).isEqualTo("−" + GROUPED.format(2 * flops));
      assertThat(browser.find("#submit").getText()).isEqualTo("Remove 2 kernels and continue");
      browser.screenshot("review.png");

      browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
      browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
      assertThat(browser.find("#confirm-text").getText()).contains("Kernels 1, 4 go");
      browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);

      WebElement state =
          browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.id("job-state")));
      assertThat(state.getAttribute("data-state")).isNotEqualTo("AWAITING_SELECTION");
      browser.screenshot("review-submitted.png");

      // The second layer: the suggestion, accepted with one click, submitted with the button.
      browser.await(JOB, ExpectedConditions.elementToBeClickable(By.id("review-next"))).click();
      awaitKernelRows(browser, 5);
      JsonNode second = alice.getJson("/api/v1/jobs/" + jobId + "/review");
      browser.find("#accept-suggestion").click();
      List<Integer> suggested = new ArrayList<>();
      second.get("suggestion").get("kernels").forEach(k -> suggested.add(k.asInt()));
      for (JsonNode k : second.get("kernels")) {
        int index = k.get("index").asInt();
        assertThat(pressed(browser, index))
            .as("kernel %d", index)
            .isEqualTo(suggested.contains(index));
      }
      browser.find("#submit").click();
      browser.await(PAGE, ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
      browser.await(PAGE, ExpectedConditions.elementToBeClickable(By.id("to-dashboard"))).click();

      browser.await(
          JOB, ExpectedConditions.attributeToBe(By.cssSelector(row), "data-state", "SUCCEEDED"));
      browser.await(
          PAGE,
          ExpectedConditions.numberOfElementsToBe(
              By.cssSelector("#job-detail svg.layer-chart circle[stroke='var(--c-params)']"), 3));
      browser.await(
          PAGE,
          ExpectedConditions.elementToBeClickable(
              By.cssSelector("#job-detail [data-action=download-report]")));
      browser.screenshot("dashboard.png");
      assertThat(browser.consoleErrors()).isEmpty();

      JsonNode steps = alice.getJson("/api/v1/jobs/" + jobId + "/report").get("steps");
      assertThat(steps.get(0).get("removedKernels").toString()).isEqualTo("[1,4]");
      assertThat(steps.get(0).get("decidedBy").asText()).isEqualTo("person (alice)");
      assertThat(steps.get(1).get("removedKernels").toString())
          .isEqualTo(suggested.toString().replace(" ", ""));
    }
  }

  @Test
  void aTargetJobDrawsItsSensitivityCurves(@TempDir Path tmp) throws Exception {
    Browser.assumeInstalled();
    ApiClient alice = new ApiClient(port, "alice-key");
    String model =
        alice.upload("/api/v1/models?name=tiny-cnn.zip", LearnableFixtures.modelZip(tmp));
    String data =
        alice.upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(20, 2));
    String spec =
        """
        {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"ONE_SHOT",
         "layers":["conv1","conv2","dense"],
         "policy":{"type":"target","params":0.6,"flops":0.5,"images":20},
         "retraining":{"epochs":1,"batchSize":10,"learningRate":0.01,"maxBatchesPerEpoch":2}}"""
            .formatted(model, data);
    var created = alice.postJson("/api/v1/jobs", spec);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String jobId = ApiClient.JSON.readTree(created.body()).get("id").asText();
    alice.awaitJob(jobId, j -> j.get("state").asText().equals("SUCCEEDED"), JOB);
    JsonNode target = alice.getJson("/api/v1/jobs/" + jobId + "/report").get("target");
    assertThat(target.get("curves")).hasSize(3);
    assertThat(target.get("curves").get(0).get("points")).hasSize(9);
    assertThat(target.get("achievedParams").asDouble() / target.get("originalParams").asDouble())
        .isLessThanOrEqualTo(0.6);
    assertThat(target.get("achievedFlops").asDouble() / target.get("originalFlops").asDouble())
        .isLessThanOrEqualTo(0.5);

    try (Browser browser = Browser.start(tmp.resolve("profile"), 1400, 1000)) {
      browser.driver.get("http://localhost:" + port + "/");
      browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
      browser.find("#api-key").sendKeys("alice-key", Keys.ENTER);
      String row = "tr[data-job-id='" + jobId + "']";
      browser.await(
          PAGE, ExpectedConditions.elementToBeClickable(By.cssSelector(row + " .job-name")));
      browser.click(row + " .job-name");
      browser.await(
          PAGE,
          ExpectedConditions.numberOfElementsToBe(
              By.cssSelector("#sensitivity svg.sensitivity-chart path.line"), 3));
      // One line per group with its nine ratios, and the chosen ratio ringed on each.
      for (String group : List.of("conv1", "conv2", "dense")) {
        assertThat(
                browser.driver.findElements(
                    By.cssSelector("#sensitivity svg circle.dot[data-group='" + group + "']")))
            .hasSize(9);
      }
      // Read in one script: the page may redraw the chart between two WebDriver calls (its
      // elements then go stale), but never in the middle of a script.
      List<?> chosen =
          (List<?>)
              browser.script(
                  "return Array.from(document.querySelectorAll('#sensitivity svg circle.chosen'))"
                      + ".map(c => c.getAttribute('data-chosen'))");
      assertThat(chosen).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(Double.parseDouble(String.valueOf(chosen.get(i))))
            .isEqualTo(target.get("curves").get(i).get("chosenRatio").asDouble());
      }
      // Asked, predicted and achieved shares of the parameters, as the report gives them.
      String achieved =
          String.format(
              Locale.ROOT,
              "%.1f%%",
              100
                  * target.get("achievedParams").asDouble()
                  / target.get("originalParams").asDouble());
      assertThat(
              String.valueOf(
                  browser.script(
                      "return document.querySelector('#job-detail .target-table').innerText")))
          .containsIgnoringCase("achieved")
          .contains("60.0%")
          .contains(achieved);
      browser.screenshot("sensitivity.png");
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }

  @Test
  void readsAnEventStreamCutAnywhereIntoChunks(@TempDir Path tmp) {
    Browser.assumeInstalled();
    String stream =
        "id:1\nevent:queued\ndata:{\"priority\":0}\n\n: keep-alive\n\n"
            + "id: 2\r\nevent: step\r\ndata: {\"layer\":\r\ndata: \"conv\u00e9\"}\r\n\r\n"
            + "data: unfinished";
    try (Browser browser = Browser.start(tmp.resolve("profile"), 800, 600)) {
      browser.driver.get("http://localhost:" + port + "/review.html");
      Object events =
          ((JavascriptExecutor) browser.driver)
              .executeAsyncScript(
                  """
                  const [text, done] = arguments;
                  import("/js/api.js").then(async ({ readEvents }) => {
                    const bytes = new TextEncoder().encode(text);
                    const body = new ReadableStream({
                      start(controller) {
                        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
                        controller.close();
                      },
                    });
                    const events = [];
                    await readEvents(body, (event) => events.push(event));
                    done(JSON.stringify(events));
                  }).catch((error) => done(String(error)));""",
                  stream);
      assertThat(events)
          .isEqualTo(
              "[{\"id\":\"1\",\"type\":\"queued\",\"data\":\"{\\\"priority\\\":0}\"},"
                  + "{\"id\":\"2\",\"type\":\"step\","
                  + "\"data\":\"{\\\"layer\\\":\\n\\\"conv\u00e9\\\"}\"}]");
    }
  }

  /** A SUBJECTIVE job over both convolution layers, stopped at the first. */
  private static String waitingSubjectiveJob(ApiClient alice, Path tmp) throws Exception {
    String model =
        alice.upload("/api/v1/models?name=tiny-cnn.zip", LearnableFixtures.modelZip(tmp));
    String data =
        alice.upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(20, 2));
    String spec =
        """
        {"modelId":"%s","datasetId":"%s","criterion":"SUBJECTIVE",
         "policy":{"type":"ratio","ratio":0.5},"reviewSamplesPerClass":2,
         "retraining":{"epochs":1,"batchSize":10,"learningRate":0.01}}"""
            .formatted(model, data);
    var created = alice.postJson("/api/v1/jobs", spec);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String jobId = ApiClient.JSON.readTree(created.body()).get("id").asText();
    alice.awaitJob(jobId, j -> j.get("state").asText().equals("AWAITING_SELECTION"), JOB);
    return jobId;
  }

  private static void awaitKernelRows(Browser browser, int kernels) {
    browser.await(
        PAGE,
        ExpectedConditions.numberOfElementsToBe(
            By.cssSelector("#kernels tr[data-kernel]"), kernels));
    // Every sheet, fetched with the key, has been drawn.
    browser.await(
        PAGE,
        ExpectedConditions.numberOfElementsToBe(
            By.cssSelector("img.sheet.loading, img.sheet.failed"), 0));
    browser.await(PAGE, d -> browser.find("img.sheet").getAttribute("src").startsWith("blob:"));
  }

  private static void refusesToRemoveEveryKernel(Browser browser) {
    for (int k = 0; k < 6; k++) {
      kernel(browser, k).click();
    }
    assertThat(browser.find("#submit").isEnabled()).isFalse();
    assertThat(browser.find("#submit-error").getText()).contains("Keep at least one kernel");
    browser.find("#clear-selection").click();
    assertThat(browser.find("#marked-count").getText()).isEqualTo("0 of 6");
    assertThat(browser.find("#submit").isEnabled()).isTrue();
  }

  /** Sorting by L1 puts the lowest first; sorting by kernel again restores the order. */
  private static void sortsByScore(Browser browser, JsonNode review) {
    int lowest = -1;
    double min = Double.MAX_VALUE;
    for (JsonNode k : review.get("kernels")) {
      if (k.get("scores").get("L1").asDouble() < min) {
        min = k.get("scores").get("L1").asDouble();
        lowest = k.get("index").asInt();
      }
    }
    browser.find("th[data-sort=L1] button").click();
    assertThat(browser.find("th[data-sort=L1]").getAttribute("aria-sort")).isEqualTo("ascending");
    assertThat(browser.find("#kernels tr").getAttribute("data-kernel"))
        .isEqualTo(Integer.toString(lowest));
    browser.find("th[data-sort=index] button").click();
    assertThat(browser.find("#kernels tr").getAttribute("data-kernel")).isEqualTo("0");
  }

  private static WebElement kernel(Browser browser, int index) {
    return browser.find("#kernels tr[data-kernel='" + index + "']");
  }

  private static boolean pressed(Browser browser, int index) {
    return "true"
        .equals(
            kernel(browser, index)
                .findElement(By.cssSelector("button.toggle"))
                .getAttribute("aria-pressed"));
  }
}
