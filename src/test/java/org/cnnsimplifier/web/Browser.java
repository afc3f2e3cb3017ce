package org.cnnsimplifier.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium for browser tests, driven through the Debian chromedriver at fixed paths
 * so that Selenium Manager never downloads a browser or driver. Tests using it are skipped where
 * the packages are not installed ({@code .ci/run} installs them).
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final WebDriver driver;

  private Browser(WebDriver driver) {
    this.driver = driver;
  }

  /** Skips the calling test unless Chromium and its driver are installed. */
  static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser tests need the Debian packages chromium and chromium-driver");
  }

  /** A fresh headless browser with its own profile directory under {@code profile}. */
  static Browser start(Path profile, int width, int height) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=en-US",
        "--hide-scrollbars",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile.toAbsolutePath());
    // Keeps the page's console, so a test can fail on a script error nobody saw.
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options));
  }

  /**
   * Waits up to {@code timeout} for a condition. Live pages redraw rows as events arrive, so an
   * element gone stale between finding and reading it just means "look again".
   */
  <T> T await(Duration timeout, ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /**
   * Errors the pages logged to the console since the last call, leaving out the 401 with which the
   * dashboard learns that the server wants a key.
   */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> !message.contains("status of 401"))
        .toList();
  }

  /** Clicks the element, finding it again if the page redrew it meanwhile. */
  void click(String css) {
    await(
        Duration.ofSeconds(10),
        d -> {
          find(css).click();
          return true;
        });
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /**
   * Saves the whole page (the window grown to its height, up to 2400 pixels) as a PNG under {@code
   * target/screenshots}; returns the file.
   */
  Path screenshot(String name) {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    long height =
        ((Number)
                js.executeScript(
                    "return document.documentElement.scrollHeight"
                        + " + window.outerHeight - window.innerHeight"))
            .longValue();
    Dimension size = driver.manage().window().getSize();
    driver
        .manage()
        .window()
        .setSize(new Dimension(size.width, (int) Math.min(2400, Math.max(size.height, height))));
    js.executeScript("window.scrollTo(0, 0)");
    Path dir = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name);
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a script in the page and returns its value: reads in one go what a redraw may replace. */
  Object script(String javascript) {
    return ((JavascriptExecutor) driver).executeScript(javascript);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
