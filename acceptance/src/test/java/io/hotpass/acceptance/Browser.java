package io.hotpass.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver at fixed paths (so Selenium
 * Manager never looks for or downloads a driver), with a fresh profile per run. Saves screenshots
 * to acceptance/target/screenshots/ and runs axe-core (from its Maven Central webjar) on a page.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("hotpass.it.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("hotpass.it.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    final Path screenshots;
    private final Path profile;
    private final String axeSource;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    Browser(Path root) throws IOException {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("Chromium and chromedriver are needed at " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install -y chromium chromium-driver; .ci/run installs them)");
        }
        screenshots = Files.createDirectories(root.resolve("acceptance/target/screenshots"));
        profile = Files.createTempDirectory(root.resolve("acceptance/target"), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1366,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        String version = System.getProperty("axe-core.version", "4.6.3");
        try (InputStream in = Browser.class.getClassLoader()
                .getResourceAsStream("META-INF/resources/webjars/axe-core/" + version + "/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe-core " + version + " webjar missing from the test classpath");
            }
            axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    void screenshot(String name) {
        try {
            Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** axe-core's violations on the current page (WCAG 2.x A and AA rules and best practices), one line each. */
    List<String> axeViolations() {
        JavascriptExecutor js = driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe !== 'undefined'"))) {
            js.executeScript(axeSource);
        }
        Object out = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(JSON.stringify(r.violations))).catch(e => done('ERROR ' + e));");
        String json = String.valueOf(out);
        if (json.startsWith("ERROR")) {
            throw new IllegalStateException("axe-core failed: " + json);
        }
        List<String> lines = new ArrayList<>();
        try {
            for (JsonNode v : MAPPER.readTree(json)) {
                List<String> targets = new ArrayList<>();
                for (JsonNode n : v.path("nodes")) {
                    targets.add(n.path("target").toString() + " " + n.path("failureSummary").asText().replace('\n', ' '));
                }
                lines.add(v.path("id").asText() + " (" + v.path("impact").asText() + "): " + v.path("help").asText() + " — " + targets);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover profile under target/ is harmless
        }
    }
}
