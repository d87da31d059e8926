package io.skiff.itests.vm;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (Selenium), for the portal's browser tests: a
 * profile folder of its own, English pages, 60 s for a script; {@link #close} quits it and deletes the profile.
 */
public final class HeadlessChromium implements AutoCloseable {
    public final WebDriver browser;
    private final Path profileDir;

    private HeadlessChromium(WebDriver browser, Path profileDir) {
        this.browser = browser;
        this.profileDir = profileDir;
    }

    /** Fails the test class at once when Debian's chromium or chromium-driver is missing. */
    public static void requireInstalled() {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "Debian's chromium and chromium-driver are needed: run scripts/deps.sh");
    }

    /** Starts the browser with a window of this size ({@code 1280,1000}). */
    public static HeadlessChromium start(String windowSize) throws IOException {
        Path profileDir = Files.createTempDirectory("skiff-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profileDir, "--window-size=" + windowSize,
                "--lang=en-US");
        // the browser's console, read by consoleMessages(): Content-Security-Policy refusals are logged there
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        // the driver path is explicit, so Selenium Manager never looks for (or downloads) a driver or a browser
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        WebDriver browser;
        try {
            browser = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteProfile(profileDir);
            throw e;
        }
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return new HeadlessChromium(browser, profileDir);
    }

    /** @return the browser console's messages since the last call */
    public java.util.List<String> consoleMessages() {
        return browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    /** Runs JavaScript in the page (WebDriver's executeScript). */
    public Object script(String code, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(code, args);
    }

    /**
     * Saves a screenshot as {@code <name>.png} under {@code -Dskiff.screenshots} (default target/screenshots) and
     * copies it to {@code -Dskiff.docs.screenshots} when that is set (docs/screenshots, for the README).
     */
    public void screenshot(String name) throws IOException {
        Path dir = Path.of(System.getProperty("skiff.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        String docs = System.getProperty("skiff.docs.screenshots");
        if (docs != null) {
            Files.createDirectories(Path.of(docs));
            Files.copy(file, Path.of(docs, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            browser.quit();
        } finally {
            deleteProfile(profileDir);
        }
    }

    private static void deleteProfile(Path profileDir) throws IOException {
        try (Stream<Path> files = Files.walk(profileDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
